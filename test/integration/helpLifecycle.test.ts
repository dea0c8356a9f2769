import type { HelpRequestView } from '@earshot/shared';
import { describe, expect, it } from 'vitest';
import { agentOnCall, collect, until } from '../support/floor.js';
import { call, connectAs, ok, freshServerPerTest } from '../support/harness.js';

const t = freshServerPerTest();

/** An agent on a call, their manager, and every `help:update` each of them receives. */
async function helpFloor() {
  const agent = await agentOnCall(t.server, 'agent.billing');
  const manager = await connectAs(t.server.url, 'manager.billing');
  const pushes = { agent: collect<HelpRequestView>(agent.socket, 'help:update'), manager: collect<HelpRequestView>(manager.socket, 'help:update') };
  const managerRef = { id: manager.login.me.id, name: manager.login.me.displayName };
  return { agent, manager: manager.socket, managerRef, pushes };
}

/** The records of help requests' ends and cancels, oldest first: [action, actor, reason]. */
async function helpAudit() {
  const { records } = await ok(t.admin, 'audit:query', { action: 'help:', limit: 20 });
  return records.reverse().map((r) => [r.action, r.actorName, r.outcome, r.detail.reason ?? null]);
}

describe('help requests that finish', () => {
  it('the agent cancels their request, on the way or not; the manager sees it go; only the agent may cancel', async () => {
    const { agent, manager, managerRef, pushes } = await helpFloor();
    const { help: raised } = await ok(agent.socket, 'help:request', { message: 'Customer wants a refund over my limit' });
    const now = t.server.clock.value;
    expect(raised).toEqual({
      helpId: raised.helpId,
      agent: { id: agent.userId, name: raised.agent.name },
      callId: agent.callId,
      message: 'Customer wants a refund over my limit',
      raisedAt: now,
      acknowledgedBy: null,
      acknowledgedAt: null,
      endedAt: null,
      endReason: null,
    });
    const { help: acked } = await ok(manager, 'help:ack', { helpId: raised.helpId });
    expect(await call(manager, 'help:cancel', { helpId: raised.helpId })).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'Your profile (Manager) does not hold Handle Calls (calls.handle)' },
    });
    t.server.clock.advance(5_000);
    const { help: cancelled } = await ok(agent.socket, 'help:cancel', { helpId: raised.helpId });
    expect(cancelled).toEqual({ ...acked, endedAt: now + 5_000, endReason: 'cancelled' });
    await until(() => pushes.manager.length === 3 && pushes.agent.length === 3);
    expect(pushes.manager).toEqual([raised, { ...raised, acknowledgedBy: managerRef, acknowledgedAt: now }, cancelled]);
    expect(pushes.agent).toEqual(pushes.manager);
    expect(await ok(manager, 'help:list', {})).toEqual({ requests: [] });
    expect(await call(agent.socket, 'help:cancel', { helpId: raised.helpId })).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: `helpId: no open help request ${raised.helpId}` },
    });
    // Another agent cannot withdraw a colleague's request.
    const { help: again } = await ok(agent.socket, 'help:request', {});
    const colleague = await connectAs(t.server.url, 'agent.sales');
    expect(await call(colleague.socket, 'help:cancel', { helpId: again.helpId })).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'Only the agent who asked for help can cancel the request' },
    });
    expect(await helpAudit()).toEqual([
      ['help:request', raised.agent.name, 'ok', null],
      ['help:ack', managerRef.name, 'ok', null],
      ['help:cancel', managerRef.name, 'denied', null],
      ['help:cancel', raised.agent.name, 'ok', null],
      ['help:cancel', raised.agent.name, 'refused', null],
      ['help:request', raised.agent.name, 'ok', null],
      ['help:cancel', colleague.login.me.displayName, 'denied', null],
    ]);
  });

  it('a short message goes with the request and can be replaced while it is open; a long one is refused with a sentence', async () => {
    const { agent, pushes } = await helpFloor();
    expect(await call(agent.socket, 'help:request', { message: 'x'.repeat(201) })).toEqual({
      ok: false,
      error: { code: 'INVALID', message: 'The message to your supervisor can be at most 200 characters.' },
    });
    const { help: raised } = await ok(agent.socket, 'help:request', { message: '   ' });
    expect(raised.message).toBeNull();
    const { help: noted } = await ok(agent.socket, 'help:request', { message: '  Caller threatens to cancel  ' });
    expect(noted).toEqual({ ...raised, message: 'Caller threatens to cancel' });
    // Pressed again without a message: the same request, unchanged, not pushed again.
    expect((await ok(agent.socket, 'help:request', {})).help).toEqual(noted);
    expect((await ok(agent.socket, 'help:request', { message: 'x'.repeat(200) })).help.message).toBe('x'.repeat(200));
    await until(() => pushes.agent.length === 3);
    expect(pushes.agent.map((h) => [h.helpId, h.message])).toEqual([
      [raised.helpId, null],
      [raised.helpId, 'Caller threatens to cancel'],
      [raised.helpId, 'x'.repeat(200)],
    ]);
    expect(pushes.manager).toEqual(pushes.agent);
  });

  it('"on the way" ends when the supervisor on the way leaves the call they joined', async () => {
    const { agent, manager, managerRef, pushes } = await helpFloor();
    const { help: raised } = await ok(agent.socket, 'help:request', {});
    const { help: acked } = await ok(manager, 'help:ack', { helpId: raised.helpId });
    const { session } = await ok(manager, 'supervise:start', { agentId: agent.userId, mode: 'monitor' });
    await ok(manager, 'supervise:mode', { sessionId: session.sessionId, mode: 'coach' });
    expect(pushes.manager).toHaveLength(2);
    t.server.clock.advance(60_000);
    await ok(manager, 'supervise:stop', { sessionId: session.sessionId });
    await until(() => pushes.manager.length === 3 && pushes.agent.length === 3);
    const ended = { ...acked, endedAt: t.server.clock.value, endReason: 'supervisor-left' };
    expect(acked.acknowledgedBy).toEqual(managerRef);
    expect(pushes.manager).toEqual([raised, acked, ended]);
    expect(pushes.agent).toEqual([raised, acked, ended]);
    expect((await ok(agent.socket, 'agent:attach', {})).help).toBeNull();
    expect((await helpAudit()).slice(-1)).toEqual([['help:ended', null, 'ok', 'supervisor-left']]);
  });

  it('"on the way" ends when the supervisor on the way leaves the floor (their connection gone past the grace)', async () => {
    const { agent, manager, pushes } = await helpFloor();
    const trainer = (await connectAs(t.server.url, 'trainer')).socket;
    const trainerSees = collect<HelpRequestView>(trainer, 'help:update');
    const { help: raised } = await ok(agent.socket, 'help:request', {});
    const { help: acked } = await ok(manager, 'help:ack', { helpId: raised.helpId });
    // A reconnecting agent is told who is on the way.
    expect((await ok(agent.socket, 'agent:attach', {})).help).toEqual(acked);
    manager.disconnect();
    await until(() => trainerSees.length === 3, 3000);
    expect(trainerSees).toEqual([raised, acked, { ...acked, endedAt: t.server.clock.value, endReason: 'supervisor-left' }]);
    await until(() => pushes.agent.length === 3);
    expect(pushes.agent).toEqual(trainerSees);
  });

  it('the request ends with the call it was raised on', async () => {
    const { agent, manager, pushes } = await helpFloor();
    const { help: raised } = await ok(agent.socket, 'help:request', { message: 'Angry caller' });
    const { help: acked } = await ok(manager, 'help:ack', { helpId: raised.helpId });
    t.server.clock.advance(30_000);
    await ok(agent.socket, 'call:hangUp', { callId: agent.callId });
    await until(() => pushes.manager.length === 3 && pushes.agent.length === 3);
    const ended = { ...acked, endedAt: t.server.clock.value, endReason: 'call-ended' };
    expect(pushes.manager).toEqual([raised, acked, ended]);
    expect(pushes.agent).toEqual([raised, acked, ended]);
    expect(await ok(manager, 'help:list', {})).toEqual({ requests: [] });
    expect((await helpAudit()).slice(-1)).toEqual([['help:ended', null, 'ok', 'call-ended']]);
  });

  it('the request ends at the agent\u2019s logout, and its supervisors see it go', async () => {
    const { agent, manager, pushes } = await helpFloor();
    await ok(agent.socket, 'call:hangUp', { callId: agent.callId });
    // Raised after the call: it has no call to end with, and ends at the logout.
    const { help: raised } = await ok(agent.socket, 'help:request', { message: 'Question about the refund policy' });
    expect(raised.callId).toBeNull();
    t.server.clock.advance(10_000);
    await ok(agent.socket, 'agent:status', { status: 'loggedOut' });
    await until(() => pushes.manager.length === 2 && pushes.agent.length === 2);
    const ended = { ...raised, endedAt: t.server.clock.value, endReason: 'logged-out' };
    expect(pushes.manager).toEqual([raised, ended]);
    expect(pushes.agent).toEqual([raised, ended]);
    expect(await ok(manager, 'help:list', {})).toEqual({ requests: [] });
    expect((await helpAudit()).slice(-1)).toEqual([['help:ended', null, 'ok', 'logged-out']]);
  });
});
