import { CLIENT_EVENT_NAMES, clientEvents, subjectOf } from '@earshot/shared';
import type { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, callRaw, closeAllSockets, connectAs, nextEvent, ok, startTestServer, type ClientSocket, type TestServer } from '../support/harness.js';

let server: TestServer;
let attacker: ClientSocket;
let bystander: ClientSocket;

beforeAll(async () => {
  // Rate limit high enough that this test's burst is not what answers.
  server = await startTestServer({ socketRatePerSecond: 10_000 });
  attacker = (await connectAs(server.url, 'admin')).socket;
  bystander = (await connectAs(server.url, 'manager.billing')).socket;
});
afterAll(async () => {
  closeAllSockets();
  await server.close();
});

const shapeOf = (event: (typeof CLIENT_EVENT_NAMES)[number]) => (clientEvents[event].request as unknown as z.ZodObject).shape as Record<string, z.ZodType>;

/** The first field the request requires, if any. */
function requiredField(event: (typeof CLIENT_EVENT_NAMES)[number]): string | undefined {
  return Object.entries(shapeOf(event)).find(([, s]) => !s.safeParse(undefined).success)?.[0];
}

const HUGE = 'x'.repeat(100_000);

describe.each(CLIENT_EVENT_NAMES)('%s with a malformed payload', (event) => {
  it('wrong type: INVALID naming the payload', async () => {
    expect(await callRaw(attacker, event, 42)).toEqual({
      ok: false,
      error: { code: 'INVALID', message: 'The request must be a set of fields.' },
    });
  });

  it('missing field: INVALID naming it', async () => {
    const field = requiredField(event);
    if (!field) {
      // No required field: an unknown one is refused instead.
      expect(await callRaw(attacker, event, { surprise: 1 })).toEqual({
        ok: false,
        error: { code: 'INVALID', message: 'The request has a field this action does not take: "surprise".' },
      });
      return;
    }
    const r = await callRaw(attacker, event, {});
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('INVALID');
    expect(r.error.message.startsWith(`${subjectOf([field])} `)).toBe(true);
  });

  it('extra-large: INVALID naming the field', async () => {
    const field = Object.keys(shapeOf(event))[0];
    const r = await callRaw(attacker, event, field ? { [field]: HUGE } : { padding: HUGE });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('INVALID');
    expect(r.error.message.startsWith(`${subjectOf(field ? [field] : [])} `)).toBe(true);
    expect(r.error.message.length).toBeLessThan(300);
  });
});

describe('the server keeps serving', () => {
  it('answers an unknown event with INVALID', async () => {
    expect(await callRaw(attacker, 'nope:never', {})).toEqual({ ok: false, error: { code: 'INVALID', message: 'Unknown event "nope:never"' } });
  });

  it('reports an error of an event sent without an ack as action:error', async () => {
    const pushed = nextEvent<{ event: string; error: { code: string } }>(attacker, 'action:error');
    (attacker.emit as (e: string, p: unknown) => void)('profiles:delete', 'not an object');
    expect(await pushed).toEqual({ event: 'profiles:delete', error: { code: 'INVALID', message: 'The request must be a set of fields.' } });
  });

  it('a bad value deep in a list names its index', async () => {
    const r = await call(attacker, 'profiles:create', { name: 'Bad', rights: ['phoneState.view', 'root.everything' as never], scope: 'own' });
    expect(r.ok === false && r.error.message).toBe('Entry 2 of the list of rights is not one of the 21 allowed values.');
  });

  it('other clients are served after all of it, and nothing stored was lost', async () => {
    expect(attacker.connected).toBe(true);
    const me = await ok(bystander, 'me:get', {});
    expect(me.username).toBe('manager.billing');
    expect((await ok(attacker, 'profiles:list', {})).profiles.map((p) => p.name)).toEqual([
      'Agent',
      'Privileged User',
      'Administrator',
      'Limited Admin',
      'Manager',
      'Trainer',
    ]);
  });

  it('a flood past the per-socket rate is RATE_LIMITED, not a crash', async () => {
    const slow = await startTestServer({ socketRatePerSecond: 5 });
    try {
      const { socket } = await connectAs(slow.url, 'agent.billing');
      const answers = await Promise.all(Array.from({ length: 20 }, () => call(socket, 'me:get', {})));
      const limited = answers.filter((a) => !a.ok);
      expect(limited.length).toBeGreaterThan(0);
      expect(limited[0]).toEqual({ ok: false, error: { code: 'RATE_LIMITED', message: 'Too many messages: at most 5 a second', retryAfter: 1 } });
    } finally {
      await slow.close();
    }
  });
});
