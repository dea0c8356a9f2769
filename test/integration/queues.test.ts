import type { QueueFigures, QueuesSnapshot, QueueUpdate } from '@earshot/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collect, until, waitForPhone } from '../support/floor.js';
import type { ServerConfig } from '../../server/src/app.js';
import { call, closeAllSockets, connectAs, ok, startTestServer, userId, type ClientSocket, type TestServer } from '../support/harness.js';

/**
 * The queues against a seeded simulator that drives no agent of its own: callers wait until a real agent
 * in the desktop agent takes them, or until they give up (120 s). Every figure is asserted exactly.
 */
let server: TestServer;
let admin: ClientSocket;

beforeEach(async () => {
  server = await startTestServer({ simulator: { agents: 0 } as ServerConfig['simulator'] });
  admin = (await connectAs(server.url, 'admin')).socket;
});

afterEach(async () => {
  closeAllSockets();
  await server.close();
});

const T0 = () => server.clock.value;
const byQueue = (snap: QueuesSnapshot) => new Map(snap.queues.map((q) => [q.queue, q]));
const latest = (updates: QueueUpdate[], queue: string): QueueFigures | undefined => updates.filter((u) => u.figures.queue === queue).at(-1)?.figures;

async function realAgent(username: string) {
  const { socket } = await connectAs(server.url, username);
  await ok(socket, 'agent:attach', {});
  await ok(socket, 'agent:status', { status: 'available' });
  return { socket, id: await userId(server, username) };
}

/** The agent is offered the next caller on the next tick, and answers after `afterMs`. */
async function takeNextCall(agent: { socket: ClientSocket }, afterMs: number): Promise<string> {
  const ringing = waitForPhone(agent.socket, (p) => p.state === 'ringing');
  server.simulator!.tick();
  const phone = await ringing;
  server.clock.advance(afterMs);
  await ok(agent.socket, 'call:answer', { callId: phone.call!.callId });
  return phone.call!.callId;
}

describe('queue figures, live', () => {
  it('waiting, longest wait, service level, abandoned and handle time, exactly, pushed as they change', async () => {
    const snap = await ok(admin, 'queues:subscribe', {});
    const start = T0();
    expect(snap.queues.map((q) => q.queue)).toEqual(['Billing', 'Sales', 'Support']);
    expect(byQueue(snap).get('Billing')).toMatchObject({
      waiting: 0,
      oldestWaitingSince: null,
      longestWaitMs: 0,
      thresholdMs: 20_000,
      overThreshold: false,
      averageHandleMs: null,
      today: { answered: 0, answeredWithinThreshold: 0, abandoned: 0, share: null },
      // The Billing team: one person in the desktop agent and five simulated agents, all logged out.
      agents: { loggedOut: 6, available: 0, notReady: 0, ringing: 0, talking: 0, held: 0, wrapUp: 0 },
    });
    const updates = collect<QueueUpdate>(admin, 'queues:update');

    server.simulator!.placeCall({ queue: 'Billing' });
    server.clock.advance(5000);
    server.simulator!.placeCall({ queue: 'Billing' });
    server.clock.advance(3000);
    await until(() => latest(updates, 'Billing')?.waiting === 2, 2000, 'two waiting in Billing');
    expect(latest(updates, 'Billing')).toMatchObject({ waiting: 2, oldestWaitingSince: start, overThreshold: false });
    expect(server.floor.queues.figures('Billing')).toMatchObject({ waiting: 2, longestWaitMs: 8000 });

    // The agent logs in at +8 s and answers the first caller at +12 s: 12 s waited, in time.
    const agent = await realAgent('agent.billing');
    const first = await takeNextCall(agent, 4000);
    await until(() => latest(updates, 'Billing')?.today.answered === 1, 2000, 'first answer');
    expect(latest(updates, 'Billing')).toMatchObject({
      waiting: 1,
      oldestWaitingSince: start + 5000,
      today: { answered: 1, answeredWithinThreshold: 1, abandoned: 0, share: 1 },
      agents: { loggedOut: 5, talking: 1 },
    });

    // Talk 18 s, hang up at +30 s; ready again; the second caller (waiting since +5 s) is answered at +40 s: 35 s, late.
    server.clock.advance(18_000);
    await ok(agent.socket, 'call:hangUp', { callId: first });
    await ok(agent.socket, 'agent:status', { status: 'available' });
    server.clock.advance(5000);
    await takeNextCall(agent, 5000);
    expect(T0() - start).toBe(40_000);
    await until(() => latest(updates, 'Billing')?.today.answered === 2, 2000, 'second answer');
    expect(latest(updates, 'Billing')).toMatchObject({
      waiting: 0,
      oldestWaitingSince: null,
      averageHandleMs: 18_000,
      today: { answered: 2, answeredWithinThreshold: 1, abandoned: 0, share: 0.5 },
      lastThirtyMinutes: { answered: 2, answeredWithinThreshold: 1, abandoned: 0, share: 0.5 },
    });

    // A Sales caller nobody takes gives up after 120 s.
    server.simulator!.placeCall({ queue: 'Sales' });
    const salesArrival = T0();
    server.clock.advance(120_000);
    server.simulator!.tick();
    await until(() => latest(updates, 'Sales')?.today.abandoned === 1, 2000, 'Sales abandon');
    expect(latest(updates, 'Sales')).toMatchObject({
      waiting: 0,
      today: { answered: 0, answeredWithinThreshold: 0, abandoned: 1, share: 0 },
      lastThirtyMinutes: { abandoned: 1, share: 0 },
    });
    expect(salesArrival).toBe(start + 40_000);

    // 30 minutes after the answers, the short window is empty; today still holds them.
    server.clock.value = start + 12_000 + 30 * 60_000;
    server.floor.queues.refresh();
    await until(() => latest(updates, 'Billing')?.lastThirtyMinutes.answered === 1, 2000, 'first answer leaves the window');
    server.clock.value = start + 40_000 + 30 * 60_000;
    server.floor.queues.refresh();
    await until(() => latest(updates, 'Billing')?.lastThirtyMinutes.answered === 0, 2000, 'window empty');
    expect(latest(updates, 'Billing')).toMatchObject({
      lastThirtyMinutes: { answered: 0, answeredWithinThreshold: 0, abandoned: 0, share: null },
      today: { answered: 2, answeredWithinThreshold: 1, abandoned: 0, share: 0.5 },
    });
  });

  it('a caller who hangs up while the agent’s phone rings is abandoned', async () => {
    const updates = collect<QueueUpdate>(admin, 'queues:update');
    await ok(admin, 'queues:subscribe', {});
    const agent = await realAgent('agent.support');
    const ringing = waitForPhone(agent.socket, (p) => p.state === 'ringing');
    server.simulator!.placeCall({ queue: 'Support' });
    server.simulator!.tick();
    await ringing;
    // The simulated customer gives up on an offer left ringing for 20 s.
    server.clock.advance(20_000);
    server.simulator!.tick();
    await until(() => latest(updates, 'Support')?.today.abandoned === 1, 2000, 'ringing abandon');
    expect(latest(updates, 'Support')).toMatchObject({ waiting: 0, today: { answered: 0, abandoned: 1, share: 0 }, agents: { available: 1 } });
  });

  it('a queue crosses its threshold with no event: pushed when the longest wait passes 20 s, cleared when the caller is answered', async () => {
    const updates = collect<QueueUpdate>(admin, 'queues:update');
    await ok(admin, 'queues:subscribe', {});
    server.simulator!.placeCall({ queue: 'Sales' });
    await until(() => latest(updates, 'Sales')?.waiting === 1, 2000, 'waiting');
    server.clock.advance(20_000);
    server.floor.queues.refresh();
    expect(server.floor.queues.figures('Sales')).toMatchObject({ longestWaitMs: 20_000, overThreshold: false });
    server.clock.advance(1);
    // The server's own time check finds it (no refresh called).
    await until(() => latest(updates, 'Sales')?.overThreshold === true, 2000, 'over threshold');
    expect(latest(updates, 'Sales')).toMatchObject({ waiting: 1, overThreshold: true });
    const agent = await realAgent('agent.sales');
    await takeNextCall(agent, 1000);
    await until(() => latest(updates, 'Sales')?.overThreshold === false, 2000, 'back under');
    expect(latest(updates, 'Sales')).toMatchObject({ waiting: 0, today: { answered: 1, answeredWithinThreshold: 0, share: 0 } });
  });
});

describe('who sees which queue', () => {
  it('scope all: every queue; managed: the queues named like the teams supervised; own: none', async () => {
    const queuesOf = async (username: string) => (await ok((await connectAs(server.url, username)).socket, 'queues:subscribe', {})).queues.map((q) => q.queue);
    expect(await queuesOf('admin')).toEqual(['Billing', 'Sales', 'Support']);
    expect(await queuesOf('limited')).toEqual(['Billing', 'Sales', 'Support']);
    expect(await queuesOf('manager.billing')).toEqual(['Billing']);
    expect(await queuesOf('trainer')).toEqual(['Billing', 'Sales']);
    expect(await queuesOf('agent.billing')).toEqual([]);
  });

  it('without View Live Phone State the subscribe is refused', async () => {
    const { profile } = await ok(admin, 'profiles:create', { name: 'Reports', scope: 'all', rights: ['recording.playback'] });
    await ok(admin, 'users:create', {
      username: 'reports',
      displayName: 'Rae Reports',
      password: 'earshot-demo',
      profileId: profile.id,
      memberOf: [],
      supervises: [],
    });
    const reports = (await connectAs(server.url, 'reports')).socket;
    const r = await call(reports, 'queues:subscribe', {});
    expect(r).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: 'Your profile (Reports) does not hold View Live Phone State (phoneState.view)' } });
  });

  it('updates reach only those who see the queue; a team change re-scopes a live subscription at once', async () => {
    const manager = (await connectAs(server.url, 'manager.billing')).socket;
    const updates = collect<QueueUpdate>(manager, 'queues:update');
    const snapshots = collect<QueuesSnapshot>(manager, 'queues:snapshot');
    await ok(manager, 'queues:subscribe', {});
    server.simulator!.placeCall({ queue: 'Sales' });
    server.simulator!.placeCall({ queue: 'Billing' });
    await until(() => updates.length > 0, 2000, 'a Billing update');
    await new Promise((r) => setTimeout(r, 100));
    expect(new Set(updates.map((u) => u.figures.queue))).toEqual(new Set(['Billing']));

    // The manager now supervises Sales instead of Billing.
    const teams = (await ok(admin, 'teams:list', {})).teams;
    const id = (n: string) => teams.find((t) => t.name === n)!.id;
    const managerId = await userId(server, 'manager.billing');
    await ok(admin, 'teams:update', { teamId: id('Billing'), supervisorIds: [] });
    await ok(admin, 'teams:update', { teamId: id('Sales'), supervisorIds: [managerId] });
    await until(
      () =>
        snapshots
          .at(-1)
          ?.queues.map((q) => q.queue)
          .join() === 'Sales',
      2000,
      'rescoped to Sales',
    );
    expect(snapshots.at(-1)!.queues[0]).toMatchObject({ queue: 'Sales', waiting: 1 });
    updates.length = 0;
    server.clock.advance(1000);
    server.simulator!.placeCall({ queue: 'Billing' });
    server.simulator!.placeCall({ queue: 'Sales' });
    await until(() => updates.length > 0, 2000, 'a Sales update');
    await new Promise((r) => setTimeout(r, 100));
    expect(updates.map((u) => [u.figures.queue, u.figures.waiting])).toEqual([['Sales', 2]]);
  });
});
