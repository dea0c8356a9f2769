import { describe, expect, it } from 'vitest';
import type { AuditEvent, AuditLog } from '../audit/auditLog.js';
import { ActionError } from '../domain/actionError.js';
import type { Actor } from '../domain/actor.js';
import { effect } from './plannedEffect.js';
import { Replay, RequestTrail, runPipeline, type PipelineRequest } from './requestPipeline.js';

const actor = { id: 7, displayName: 'Dana Manager' } as Actor;

/** An audit log that keeps its records, or fails every write; a store whose transaction only runs. */
function harness(auditFails = false) {
  const records: AuditEvent[] = [];
  const logged: string[] = [];
  const audit = {
    recordNow: (e: AuditEvent) => {
      if (auditFails) throw new Error('disk full');
      records.push(e);
    },
  } as unknown as AuditLog;
  const deps = {
    audit,
    store: { transaction: <T>(fn: () => T) => fn(), durable: async () => undefined },
    logError: (_e: unknown, where: string) => void logged.push(where),
  };
  return { deps, records, logged };
}

function request(overrides: Partial<PipelineRequest<string, { actor: Actor }, string>> = {}): PipelineRequest<string, { actor: Actor }, string> {
  return {
    action: 'things:do',
    trail: new RequestTrail(null),
    audit: 'all',
    parse: () => 'input',
    authenticate: async () => ({ actor }),
    authorize: () => undefined,
    handle: async () => 'done',
    ...overrides,
  };
}

describe('the request pipeline', () => {
  it('answers a success and audits it with the authenticated actor', async () => {
    const { deps, records } = harness();
    expect(await runPipeline(deps, request())).toEqual({ ok: true, result: 'done' });
    expect(records).toEqual([{ actor, action: 'things:do', target: null, error: undefined, detail: {} }]);
  });

  it('audits a refusal with its error and answers its code and message, whatever step refused', async () => {
    const { deps, records } = harness();
    const refused = new ActionError('FORBIDDEN', 'You do not hold Barge (live.barge)');
    const outcome = await runPipeline(
      deps,
      request({
        authorize: () => {
          throw refused;
        },
      }),
    );
    expect(outcome).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: 'You do not hold Barge (live.barge)' }, failure: refused });
    expect(records.map((r) => [r.actor, r.error])).toEqual([[actor, refused]]);
  });

  it('shapes an unexpected error as INTERNAL, without its message or stack, and logs it', async () => {
    const { deps, logged } = harness();
    const outcome = await runPipeline(
      deps,
      request({
        handle: async () => {
          throw new TypeError('x is undefined');
        },
      }),
    );
    expect(outcome.ok === false && outcome.error).toEqual({ code: 'INTERNAL', message: 'The server failed to complete this action; it has been logged' });
    expect(logged).toEqual(['things:do']);
  });

  it('carries out no change whose audit record cannot be stored, and says so', async () => {
    const { deps } = harness(true);
    let applied = false;
    const outcome = await runPipeline(
      deps,
      request({
        handle: async () =>
          effect(() => ({
            result: 'changed',
            apply: () => {
              applied = true;
            },
          })),
      }),
    );
    expect(outcome.ok === false && outcome.error).toEqual({
      code: 'INTERNAL',
      message: 'The audit log could not be written, so nothing was done; try again later',
    });
    expect(applied).toBe(false);
  });

  it('audits a read only when it is refused, and a replayed request not at all', async () => {
    const { deps, records } = harness();
    await runPipeline(deps, request({ audit: 'refusals' }));
    const first = { ok: true as const, data: 'first' };
    expect(await runPipeline(deps, request({ handle: async () => new Replay(first) }))).toEqual({ ok: 'replayed', answer: first });
    expect(records).toEqual([]);
  });
});
