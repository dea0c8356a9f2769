import type { BoardDelta, BoardSnapshot } from '@earshot/shared';
import { describe, expect, it } from 'vitest';
import { collect, until } from '../support/floor.js';
import { call, connectAs, ok, userId, freshServerPerTest } from '../support/harness.js';

const t = freshServerPerTest();

const names = (snap: BoardSnapshot) => snap.entries.map((e) => e.displayName).sort();
async function displayNames(usernames: string[]): Promise<string[]> {
  const users = (await ok(t.admin, 'users:list', {})).users;
  return usernames.map((u) => users.find((x) => x.username === u)!.displayName).sort();
}

/** Applies deltas to a snapshot as a client does; returns false on a gap. */
function apply(snap: BoardSnapshot, delta: BoardDelta): boolean {
  if (delta.seq !== snap.seq + 1) return false;
  snap.seq = delta.seq;
  if (delta.entry) {
    const i = snap.entries.findIndex((e) => e.userId === delta.entry!.userId);
    if (i >= 0) snap.entries[i] = delta.entry;
    else snap.entries.push(delta.entry);
  }
  if (delta.removedUserId !== undefined) snap.entries = snap.entries.filter((e) => e.userId !== delta.removedUserId);
  return true;
}

describe('the live board', () => {
  it('holds exactly the agents in scope: a manager his team, the trainer two teams, an administrator everyone; an Agent only themself', async () => {
    const manager = (await connectAs(t.server.url, 'manager.billing')).socket;
    expect(names(await ok(manager, 'board:subscribe', {}))).toEqual(
      await displayNames(['agent.billing', 'sim.billing.2', 'sim.billing.3', 'sim.billing.4', 'sim.billing.5', 'sim.billing.6']),
    );
    const trainer = (await connectAs(t.server.url, 'trainer')).socket;
    const trainerBoard = await ok(trainer, 'board:subscribe', {});
    expect(trainerBoard.entries).toHaveLength(12);
    expect(trainerBoard.teams.map((t) => t.name)).toEqual(['Billing', 'Sales']);
    const adminBoard = await ok(t.admin, 'board:subscribe', {});
    // Everyone who holds Handle Calls: 18 team agents, the Privileged User, and the Administrator (every right).
    expect(adminBoard.entries).toHaveLength(20);
    expect(adminBoard.entries.map((e) => e.displayName)).toContain('Alex Admin');
    const agent = (await connectAs(t.server.url, 'agent.sales')).socket;
    expect(names(await ok(agent, 'board:subscribe', {}))).toEqual(await displayNames(['agent.sales']));
    const limited = (await connectAs(t.server.url, 'limited')).socket;
    expect((await ok(limited, 'board:subscribe', {})).entries).toHaveLength(20);
  });

  it('deltas carry contiguous sequence numbers, only for agents in scope; after a forced gap a fresh snapshot matches the floor', async () => {
    const manager = (await connectAs(t.server.url, 'manager.sales')).socket;
    const deltas = collect<BoardDelta>(manager, 'board:delta');
    const snap = await ok(manager, 'board:subscribe', {});
    expect(snap.seq).toBe(0);
    const inScope = new Set(snap.entries.map((e) => e.userId));
    // The simulator logs in its 15 agents and makes them available: 30 changes, 10 of them in Sales.
    t.server.simulator!.tick();
    t.server.clock.advance(1000);
    t.server.simulator!.tick();
    await until(() => deltas.length === 10, 1000, '10 deltas');
    expect(deltas.map((d) => d.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(deltas.every((d) => inScope.has(d.entry!.userId))).toBe(true);

    const client = structuredClone(snap);
    deltas.forEach((d) => expect(apply(client, d)).toBe(true));
    expect(client.entries.filter((e) => e.phone.state === 'available')).toHaveLength(5);

    // Lose one delta on purpose: the client sees the gap, subscribes again and gets the floor as it is.
    const lost = deltas.length;
    t.server.simulator!.placeCall({ toUserId: await userId(t.server, 'sim.sales.2') });
    t.server.simulator!.tick();
    t.server.clock.advance(5000);
    t.server.simulator!.tick();
    await until(() => deltas.length === lost + 2, 1000, 'ringing and talking deltas');
    expect(apply(client, deltas[lost + 1]!)).toBe(false);
    const fresh = await ok(manager, 'board:subscribe', {});
    expect(fresh.seq).toBe(0);
    const sim = fresh.entries.find((e) => e.userId === deltas[lost]!.entry!.userId)!;
    expect(sim.phone.state).toBe('talking');
    expect(fresh.entries.map((e) => e.phone)).toEqual([...inScope].sort((a, b) => a - b).map((id) => t.server.floor.phoneOf(id)));
  });

  it('a team change narrows and widens a live subscription at once: the board as it now is is pushed', async () => {
    const manager = (await connectAs(t.server.url, 'manager.billing')).socket;
    const pushed = collect<BoardSnapshot>(manager, 'board:snapshot');
    const snap = await ok(manager, 'board:subscribe', {});
    const agentSales = await userId(t.server, 'agent.sales');
    const agentBilling = await userId(t.server, 'agent.billing');
    const teams = (await ok(t.admin, 'teams:list', {})).teams;
    const billing = teams.find((t) => t.name === 'Billing')!;
    const sales = teams.find((t) => t.name === 'Sales')!;
    expect(snap.entries.map((e) => e.userId)).toContain(agentBilling);
    await ok(t.admin, 'users:update', { userId: agentSales, memberOf: [billing.id] });
    await until(() => pushed.length === 1, 1000, 'first push');
    expect(pushed[0]!.entries.map((e) => e.userId)).toContain(agentSales);
    expect(pushed[0]!.entries.find((e) => e.userId === agentSales)!.teamIds).toEqual([billing.id]);
    await ok(t.admin, 'users:update', { userId: agentBilling, memberOf: [sales.id] });
    await until(() => pushed.length === 2, 1000, 'second push');
    const now = pushed[1]!;
    expect(now.entries.map((e) => e.userId)).toContain(agentSales);
    expect(now.entries.map((e) => e.userId)).not.toContain(agentBilling);
    expect(now.teams.map((t) => t.name)).toEqual(['Billing']);
    // The pushed board is the subscription: the next delta follows it.
    const deltas = collect<BoardDelta>(manager, 'board:delta');
    t.server.floor.applyPhone(agentSales, { type: 'login' });
    await until(() => deltas.length === 1, 1000, 'delta after the push');
    expect(deltas[0]!.seq).toBe(now.seq + 1);
    expect(deltas[0]!.entry!.userId).toBe(agentSales);
  });

  it('subscribers who see the same agents share one numbered stream; a late one starts where it stands', async () => {
    const first = (await connectAs(t.server.url, 'manager.sales')).socket;
    const firstDeltas = collect<BoardDelta>(first, 'board:delta');
    const firstSnap = await ok(first, 'board:subscribe', {});
    const agentSales = await userId(t.server, 'agent.sales');
    t.server.floor.applyPhone(agentSales, { type: 'login' });
    t.server.floor.applyPhone(agentSales, { type: 'setAvailable' });
    await until(() => firstDeltas.length === 2, 1000, 'two deltas');
    const second = (await connectAs(t.server.url, 'manager.sales')).socket;
    const secondDeltas = collect<BoardDelta>(second, 'board:delta');
    const secondSnap = await ok(second, 'board:subscribe', {});
    expect(secondSnap.seq).toBe(firstSnap.seq + 2);
    expect(secondSnap.entries).toEqual(firstSnap.entries.map((e) => (e.userId === agentSales ? { ...e, phone: t.server.floor.phoneOf(agentSales) } : e)));
    expect(t.server.floor.board.stats()).toEqual({ streams: 1, subscriptions: 2 });
    t.server.floor.applyPhone(agentSales, { type: 'setNotReady', reason: 'Lunch' });
    await until(() => firstDeltas.length === 3 && secondDeltas.length === 1, 1000, 'the same delta on both');
    expect(secondDeltas[0]).toEqual(firstDeltas[2]);
    expect(secondDeltas[0]!.seq).toBe(secondSnap.seq + 1);
    // A subscriber with another scope reads another stream.
    const billing = (await connectAs(t.server.url, 'manager.billing')).socket;
    await ok(billing, 'board:subscribe', {});
    expect(t.server.floor.board.stats()).toEqual({ streams: 2, subscriptions: 3 });
    second.disconnect();
    await until(() => t.server.floor.board.stats().subscriptions === 2, 1000, 'unsubscribed on disconnect');
    expect(t.server.floor.board.stats()).toEqual({ streams: 2, subscriptions: 2 });
  });

  it('an agent the floor has not seen has been logged out since the floor opened, whenever the board is asked', async () => {
    const manager = (await connectAs(t.server.url, 'manager.support')).socket;
    const first = await ok(manager, 'board:subscribe', {});
    t.server.clock.advance(60_000);
    const later = await ok(manager, 'board:subscribe', {});
    expect(later.entries.map((e) => e.phone.since)).toEqual(first.entries.map((e) => e.phone.since));
    expect(later.entries[0]!.phone).toMatchObject({ state: 'loggedOut', since: later.at - 60_000 });
  });

  it('needs View Live Phone State', async () => {
    const viewer = await ok(t.admin, 'profiles:create', { name: 'Blind', rights: [], scope: 'all' });
    await ok(t.admin, 'users:create', { username: 'blind', displayName: 'Blind Bo', password: 'blind-password', profileId: viewer.profile.id });
    const blind = (await connectAs(t.server.url, 'blind', 'blind-password')).socket;
    expect(await call(blind, 'board:subscribe', {})).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'Your profile (Blind) does not hold View Live Phone State (phoneState.view)' },
    });
  });
});
