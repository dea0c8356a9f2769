import type { AuditRecord, BoardDelta, MeRights, SupervisionEnded, SupervisionNotice } from '@earshot/shared';
import { describe, expect, it } from 'vitest';
import { agentOnCall, collect, until } from '../support/floor.js';
import { call, connectAs, freshServerPerTest, ok, userId } from '../support/harness.js';

const t = freshServerPerTest();

async function auditSince(id: number): Promise<AuditRecord[]> {
  const { records } = await ok(t.admin, 'audit:query', { limit: 500 });
  return records.filter((r) => r.id > id && r.action !== 'audit:query').reverse();
}

async function auditHead(): Promise<number> {
  return (await ok(t.admin, 'audit:query', { limit: 1 })).records[0]!.id;
}

describe('a Manager supervises a member of his team', () => {
  it('the agent gets started → changed → changed → ended naming him; another supervisor of the team sees the mode on the board; all audited in order', async () => {
    const head = await auditHead();
    const agent = await agentOnCall(t.server, 'agent.billing');
    const notices = collect<SupervisionNotice>(agent.socket, 'notice:supervision');
    const manager = await connectAs(t.server.url, 'manager.billing');
    const trainer = (await connectAs(t.server.url, 'trainer')).socket;
    const trainerBoard = await ok(trainer, 'board:subscribe', {});
    expect(trainerBoard.entries.find((e) => e.userId === agent.userId)!.phone.state).toBe('talking');
    const deltas = collect<BoardDelta>(trainer, 'board:delta');
    const supervisionOnBoard = () => deltas.at(-1)?.entry?.phone.call?.supervisions.map((s) => `${s.supervisorName}:${s.mode}`);

    const { session } = await ok(manager.socket, 'supervise:start', { agentId: agent.userId, mode: 'monitor' });
    await until(() => notices.length === 1, 1000, 'started notice');
    const managerName = manager.login.me.displayName;
    expect(notices[0]).toMatchObject({
      sessionId: session.sessionId,
      callId: agent.callId,
      supervisor: { id: manager.login.me.id, name: managerName },
      mode: 'monitor',
      phase: 'started',
      reason: null,
    });
    await until(() => supervisionOnBoard()?.[0] === `${managerName}:monitor`, 1000, 'board shows monitor');

    await ok(manager.socket, 'supervise:mode', { sessionId: session.sessionId, mode: 'coach' });
    await ok(manager.socket, 'supervise:mode', { sessionId: session.sessionId, mode: 'barge' });
    await until(() => notices.length === 3, 1000, 'changed notices');
    expect(notices.slice(1).map((n) => [n.phase, n.mode])).toEqual([
      ['changed', 'coach'],
      ['changed', 'barge'],
    ]);
    await until(() => supervisionOnBoard()?.[0] === `${managerName}:barge`, 1000, 'board shows barge');

    await ok(manager.socket, 'supervise:stop', { sessionId: session.sessionId });
    await until(() => notices.length === 4, 1000, 'ended notice');
    expect(notices[3]).toMatchObject({ phase: 'ended', mode: 'barge', reason: 'stopped', supervisor: { name: managerName } });
    await until(() => supervisionOnBoard()?.length === 0, 1000, 'board shows no supervisor');

    const steps = (await auditSince(head)).filter((r) => r.action.startsWith('supervise:'));
    expect(steps.map((r) => [r.action, r.outcome, r.actorName])).toEqual([
      ['supervise:start', 'ok', managerName],
      ['supervise:mode', 'ok', managerName],
      ['supervise:mode', 'ok', managerName],
      // The action's record first (nothing takes effect before it is stored), then the end it caused.
      ['supervise:stop', 'ok', managerName],
      ['supervise:ended', 'ok', managerName],
    ]);
    expect(steps[0]!.detail).toMatchObject({ mode: 'monitor', sessionId: session.sessionId });
    expect(steps[2]!.detail).toMatchObject({ from: 'coach', to: 'barge' });
    expect(steps[4]!.detail).toMatchObject({ reason: 'stopped', mode: 'barge' });
  });
});

describe('refusals', () => {
  it('the Trainer coaches, is FORBIDDEN to barge, and stays in coach; a second coach gets CONFLICT naming who holds the call', async () => {
    const agent = await agentOnCall(t.server, 'agent.sales');
    const trainer = await connectAs(t.server.url, 'trainer');
    const { session } = await ok(trainer.socket, 'supervise:start', { agentId: agent.userId, mode: 'coach' });
    expect(await call(trainer.socket, 'supervise:mode', { sessionId: session.sessionId, mode: 'barge' })).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'Your profile (Trainer) does not hold Barge (live.barge)' },
    });
    expect(t.server.floor.supervision.session(session.sessionId)!.mode).toBe('coach');
    const { records } = await ok(t.admin, 'audit:query', { action: 'supervise:mode', limit: 1 });
    expect(records[0]).toMatchObject({ outcome: 'denied', code: 'FORBIDDEN', actorName: 'Tara Trainer', targetId: String(agent.userId) });

    const manager = (await connectAs(t.server.url, 'manager.sales')).socket;
    expect(await call(manager, 'supervise:start', { agentId: agent.userId, mode: 'coach' })).toEqual({
      ok: false,
      error: { code: 'CONFLICT', message: 'Tara Trainer (coach) already holds this call: one supervisor at a time may coach, barge or take over' },
    });
    // Monitoring alongside a coach is fine.
    const monitor = await ok(manager, 'supervise:start', { agentId: agent.userId, mode: 'monitor' });
    expect(monitor.session.mode).toBe('monitor');
  });

  it('a Manager is OUT_OF_SCOPE for an agent of another team; an Agent is FORBIDDEN to monitor; nobody supervises their own call', async () => {
    const agent = await agentOnCall(t.server, 'agent.support');
    const salesManager = (await connectAs(t.server.url, 'manager.sales')).socket;
    expect(await call(salesManager, 'supervise:start', { agentId: agent.userId, mode: 'monitor' })).toEqual({
      ok: false,
      error: { code: 'OUT_OF_SCOPE', message: `User ${agent.userId} is outside your scope (managed: yourself and the members of the teams you supervise)` },
    });
    const otherAgent = (await connectAs(t.server.url, 'agent.billing')).socket;
    expect(await call(otherAgent, 'supervise:start', { agentId: agent.userId, mode: 'monitor' })).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'Your profile (Agent) does not hold Live Monitor (live.monitor)' },
    });
    expect(await call(agent.socket, 'supervise:start', { agentId: agent.userId, mode: 'monitor' })).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'Your profile (Agent) does not hold Live Monitor (live.monitor)' },
    });
    const { records } = await ok(t.admin, 'audit:query', { action: 'supervise:start', limit: 3 });
    expect(records.map((r) => [r.outcome, r.code, r.targetId])).toEqual([
      ['denied', 'FORBIDDEN', String(agent.userId)],
      ['denied', 'FORBIDDEN', String(agent.userId)],
      ['denied', 'OUT_OF_SCOPE', String(agent.userId)],
    ]);
  });

  it('an agent not on a call cannot be supervised: CONFLICT', async () => {
    const sim = await userId(t.server, 'sim.support.3');
    const manager = (await connectAs(t.server.url, 'manager.support')).socket;
    const r = await call(manager, 'supervise:start', { agentId: sim, mode: 'monitor' });
    expect(r).toEqual({ ok: false, error: { code: 'CONFLICT', message: `User ${sim} is not on a call (loggedOut)` } });
  });
});

describe('every session end reaches the supervisor and the agent', () => {
  it('a supervisor whose socket closes without stop: the agent gets ended within 5 s (supervisor-disconnected)', async () => {
    const agent = await agentOnCall(t.server, 'agent.billing');
    const notices = collect<SupervisionNotice>(agent.socket, 'notice:supervision');
    const manager = (await connectAs(t.server.url, 'manager.billing')).socket;
    await ok(manager, 'supervise:start', { agentId: agent.userId, mode: 'monitor' });
    await until(() => notices.length === 1);
    manager.disconnect();
    const waited = await until(() => notices.length === 2, 5000, 'ended notice');
    expect(waited).toBeLessThan(5000);
    expect(notices[1]).toMatchObject({ phase: 'ended', reason: 'supervisor-disconnected' });
    const { records } = await ok(t.admin, 'audit:query', { action: 'supervise:ended', limit: 1 });
    expect(records[0]).toMatchObject({ actorId: null, detail: { reason: 'supervisor-disconnected' } });
  });

  it('a call that ends ends all of its sessions with call-ended, told to each supervisor', async () => {
    const agent = await agentOnCall(t.server, 'agent.sales');
    const notices = collect<SupervisionNotice>(agent.socket, 'notice:supervision');
    const manager = (await connectAs(t.server.url, 'manager.sales')).socket;
    const trainer = (await connectAs(t.server.url, 'trainer')).socket;
    const managerEnds = collect<SupervisionEnded>(manager, 'supervise:ended');
    const trainerEnds = collect<SupervisionEnded>(trainer, 'supervise:ended');
    await ok(manager, 'supervise:start', { agentId: agent.userId, mode: 'monitor' });
    await ok(trainer, 'supervise:start', { agentId: agent.userId, mode: 'coach' });
    await ok(agent.socket, 'call:hangUp', { callId: agent.callId });
    await until(() => managerEnds.length === 1 && trainerEnds.length === 1 && notices.length === 4);
    expect(managerEnds[0]).toMatchObject({ reason: 'call-ended', mode: 'monitor', callId: agent.callId });
    expect(trainerEnds[0]).toMatchObject({ reason: 'call-ended', mode: 'coach', callId: agent.callId });
    expect(notices.slice(2).map((n) => [n.phase, n.reason])).toEqual([
      ['ended', 'call-ended'],
      ['ended', 'call-ended'],
    ]);
    expect(t.server.floor.phoneOf(agent.userId).state).toBe('wrapUp');
  });

  it('an administrator removes Barge from the profile of a barging supervisor: the session ends rights-revoked within 1 s and the supervisor gets new rights', async () => {
    const agent = await agentOnCall(t.server, 'agent.support');
    const manager = (await connectAs(t.server.url, 'manager.support')).socket;
    const ends = collect<SupervisionEnded>(manager, 'supervise:ended');
    const rights = collect<MeRights>(manager, 'me:rights');
    await ok(manager, 'supervise:start', { agentId: agent.userId, mode: 'barge' });
    const profiles = (await ok(t.admin, 'profiles:list', {})).profiles;
    const managerProfile = profiles.find((p) => p.key === 'manager')!;
    const started = Date.now();
    await ok(t.admin, 'profiles:update', { profileId: managerProfile.id, rights: managerProfile.rights.filter((r) => r !== 'live.barge') });
    await until(() => ends.length === 1 && rights.some((r) => !r.rights.includes('live.barge')), 1000, 'revocation');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(ends[0]).toMatchObject({ reason: 'rights-revoked', mode: 'barge' });
    expect(rights.at(-1)!.rights).not.toContain('live.barge');
    expect(rights.at(-1)!.rights).toContain('live.monitor');
    const { records } = await ok(t.admin, 'audit:query', { limit: 3 });
    // Newest first: the edit, then the end it caused.
    expect(records.map((r) => [r.action, r.outcome]).slice(0, 2)).toEqual([
      ['supervise:ended', 'ok'],
      ['profiles:update', 'ok'],
    ]);
    expect(records[0]!.detail).toMatchObject({ reason: 'rights-revoked' });
    await ok(t.admin, 'profiles:update', { profileId: managerProfile.id, rights: managerProfile.rights });
  });

  it('moving the agent out of the supervisor team ends the session out-of-scope', async () => {
    const agent = await agentOnCall(t.server, 'agent.billing');
    const manager = (await connectAs(t.server.url, 'manager.billing')).socket;
    const ends = collect<SupervisionEnded>(manager, 'supervise:ended');
    await ok(manager, 'supervise:start', { agentId: agent.userId, mode: 'monitor' });
    const user = (await ok(t.admin, 'users:list', {})).users.find((u) => u.id === agent.userId)!;
    const support = (await ok(t.admin, 'teams:list', {})).teams.find((t) => t.name === 'Support')!;
    await ok(t.admin, 'users:update', { userId: agent.userId, memberOf: [support.id] });
    await until(() => ends.length === 1, 1000, 'out-of-scope end');
    expect(ends[0]!.reason).toBe('out-of-scope');
    await ok(t.admin, 'users:update', { userId: agent.userId, memberOf: user.memberOf });
    await ok(agent.socket, 'call:hangUp', { callId: agent.callId });
  });
});
