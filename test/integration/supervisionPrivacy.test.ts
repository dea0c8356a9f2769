import type { BoardDelta, BoardSnapshot } from '@earshot/shared';
import { describe, expect, it } from 'vitest';
import { agentOnCall, collect, until } from '../support/floor.js';
import { DEMO_PASSWORD } from '../../server/src/app.js';
import { connectAs, ok, freshServerPerTest } from '../support/harness.js';

const t = freshServerPerTest();

const ownEntry = (snap: BoardSnapshot, userId: number) => snap.entries.find((e) => e.userId === userId)!;

describe('who supervises a call is told to its agent only through Live Monitoring Notifications', () => {
  it('a Privileged User\u2019s own board row carries no supervisions, in the snapshot and in deltas, while a manager monitors them', async () => {
    const agent = await agentOnCall(t.server, 'privileged.support');
    const ownDeltas = collect<BoardDelta>(agent.socket, 'board:delta');
    await ok(agent.socket, 'board:subscribe', {});
    const manager = (await connectAs(t.server.url, 'manager.support')).socket;
    const managerDeltas = collect<BoardDelta>(manager, 'board:delta');
    await ok(manager, 'board:subscribe', {});

    const { session } = await ok(manager, 'supervise:start', { agentId: agent.userId, mode: 'monitor' });
    await until(() => ownDeltas.some((d) => d.entry?.userId === agent.userId), 2000, 'own delta');
    await until(() => managerDeltas.some((d) => d.entry?.userId === agent.userId), 2000, 'manager delta');
    // The manager sees who monitors (the board is theirs to read) ...
    const seenByManager = managerDeltas.find((d) => d.entry?.userId === agent.userId)!.entry!;
    expect(seenByManager.phone.call!.supervisions).toEqual([
      { sessionId: session.sessionId, supervisorId: session.supervisorId, supervisorName: session.supervisorName, mode: 'monitor', since: expect.any(Number) },
    ]);
    // ... the agent, whose profile lacks Live Monitoring Notifications, sees their call without it.
    const own = ownDeltas.filter((d) => d.entry?.userId === agent.userId);
    expect(own.length).toBeGreaterThan(0);
    for (const d of own) expect(d.entry!.phone.call!.supervisions).toEqual([]);
    expect(ownEntry(await ok(agent.socket, 'board:subscribe', {}), agent.userId).phone.call).toMatchObject({ callId: agent.callId, supervisions: [] });

    // A mode change pushes the row again: still without it.
    const before = ownDeltas.length;
    await ok(manager, 'supervise:mode', { sessionId: session.sessionId, mode: 'coach' });
    await until(() => ownDeltas.length > before, 2000, 'mode delta');
    expect(ownDeltas.slice(before).map((d) => d.entry!.phone.call!.supervisions)).toEqual([[]]);
    expect(ownEntry(await ok(manager, 'board:subscribe', {}), agent.userId).phone.call!.supervisions).toHaveLength(1);
  });

  it('an agent who holds Live Monitoring Notifications sees them on their own row', async () => {
    const agent = await agentOnCall(t.server, 'agent.support');
    await ok(agent.socket, 'board:subscribe', {});
    const manager = (await connectAs(t.server.url, 'manager.support')).socket;
    const { session } = await ok(manager, 'supervise:start', { agentId: agent.userId, mode: 'monitor' });
    const snap = await ok(agent.socket, 'board:subscribe', {});
    expect(ownEntry(snap, agent.userId).phone.call!.supervisions.map((s) => s.sessionId)).toEqual([session.sessionId]);
  });

  it('a supervisor who sees exactly the Privileged User alone does not share a stream with them; managers of one team still do', async () => {
    const profiles = (await ok(t.admin, 'profiles:list', {})).profiles;
    const managerProfile = profiles.find((p) => p.key === 'manager')!.id;
    const { user: solo } = await ok(t.admin, 'users:create', {
      username: 'manager.solo',
      displayName: 'Sol Solo',
      password: DEMO_PASSWORD,
      profileId: managerProfile,
      memberOf: [],
    });
    const agent = await agentOnCall(t.server, 'privileged.support');
    await ok(t.admin, 'teams:create', { name: 'Solo', memberIds: [agent.userId], supervisorIds: [solo.id] });
    const soloManager = (await connectAs(t.server.url, 'manager.solo')).socket;
    const soloDeltas = collect<BoardDelta>(soloManager, 'board:delta');
    const soloBoard = await ok(soloManager, 'board:subscribe', {});
    expect(soloBoard.entries.map((e) => e.userId)).toEqual([agent.userId]);
    const ownDeltas = collect<BoardDelta>(agent.socket, 'board:delta');
    await ok(agent.socket, 'board:subscribe', {});
    const managers = [(await connectAs(t.server.url, 'manager.billing')).socket, (await connectAs(t.server.url, 'manager.billing')).socket];
    for (const m of managers) await ok(m, 'board:subscribe', {});
    // The solo manager, the Privileged User, the two Billing managers on one stream.
    expect(t.server.floor.board.stats()).toEqual({ streams: 3, subscriptions: 4 });

    await ok(soloManager, 'supervise:start', { agentId: agent.userId, mode: 'monitor' });
    await until(() => soloDeltas.length > 0 && ownDeltas.length > 0, 2000, 'both deltas');
    expect(soloDeltas[0]!.entry!.phone.call!.supervisions.map((s) => s.supervisorName)).toEqual(['Sol Solo']);
    expect(ownDeltas.map((d) => d.entry!.phone.call!.supervisions)).toEqual([[]]);
  });

  it('teams:list shows an Agent their own teams only', async () => {
    const agent = (await connectAs(t.server.url, 'agent.billing')).socket;
    const { teams } = await ok(agent, 'teams:list', {});
    expect(teams.map((team) => team.name)).toEqual(['Billing']);
    const all = (await ok(t.admin, 'teams:list', {})).teams;
    expect(all.map((team) => team.name).sort()).toEqual(['Billing', 'Sales', 'Support']);
  });
});
