import type { Ack, BoardDelta, MeRights, RecordingNotice, SupervisionNotice } from '@earshot/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { breakAudit } from '../support/brokenAudit.js';
import { agentOnCall, collect, until } from '../support/floor.js';
import { call, connectAs, freshServerPerTest, ok, type ClientSocket } from '../support/harness.js';

const t = freshServerPerTest();

const AUDIT_DOWN = { code: 'INTERNAL', message: 'The audit log could not be written, so nothing was done; try again later' } as const;

let restore: (() => void) | null = null;
afterEach(() => {
  restore?.();
  restore = null;
});

const auditCount = () => [...t.server.store.audit.scan()].length;

/** A round trip on each socket: every push sent before it has arrived. */
async function settle(...sockets: ClientSocket[]) {
  await new Promise((r) => setTimeout(r, 50));
  for (const s of sockets) await ok(s, 'supervise:mine', {});
}

/** The answers' messages, checked after the state (the state is what matters most). */
const messages: string[] = [];
afterEach(() => void (messages.length = 0));

async function refused<T>(pending: Promise<Ack<T>>) {
  const ack = await pending;
  expect(ack.ok ? 'ok' : ack.error.code).toBe('INTERNAL');
  if (!ack.ok) messages.push(ack.error.message);
}

const allSaidAuditDown = () => expect(new Set(messages)).toEqual(new Set([AUDIT_DOWN.message]));

describe('with the audit store failing, an action answers INTERNAL and changes nothing for anyone', () => {
  it('supervise:start, supervise:mode, recording:start|pause|resume: no session, no mode, no recording change, no notice, no board delta, no record', async () => {
    const agent = await agentOnCall(t.server, 'agent.billing');
    const manager = (await connectAs(t.server.url, 'manager.billing')).socket;
    await ok(t.admin, 'board:subscribe', {});
    const agentNotices = collect<SupervisionNotice>(agent.socket, 'notice:supervision');
    const recordingNotices = collect<RecordingNotice>(agent.socket, 'notice:recording');
    const agentPhones = collect<unknown>(agent.socket, 'agent:phone');
    const deltas = collect<BoardDelta>(t.admin, 'board:delta');
    const recording = () => t.server.floor.phoneOf(agent.userId).call!.recording;
    const everyone = [agent.socket, manager, t.admin];
    const nothingReached = async () => {
      await settle(...everyone);
      expect(agentNotices).toEqual([]);
      expect(recordingNotices).toEqual([]);
      expect(agentPhones).toEqual([]);
      expect(deltas).toEqual([]);
    };

    // Nothing started: no session, no notice, no board delta, no recording, no record.
    let records = auditCount();
    restore = breakAudit(t.server.store);
    await refused(call(manager, 'supervise:start', { agentId: agent.userId, mode: 'monitor' }));
    await refused(call(manager, 'recording:start', { callId: agent.callId }));
    await nothingReached();
    expect((await ok(manager, 'supervise:mine', {})).sessions).toEqual([]);
    expect(t.server.floor.supervision.sessionsOf((await ok(manager, 'me:get', {})).id)).toEqual([]);
    expect(recording()).toBe('off');
    expect(auditCount()).toBe(records);
    restore();

    // With the audit log back, the same actions work (the floor was left as it was).
    const { session } = await ok(manager, 'supervise:start', { agentId: agent.userId, mode: 'monitor' });
    await ok(manager, 'recording:start', { callId: agent.callId });
    await until(() => agentNotices.length === 1 && recordingNotices.length === 1, 1000, 'notices of the start');
    await settle(...everyone);
    agentNotices.length = recordingNotices.length = agentPhones.length = deltas.length = 0;

    records = auditCount();
    restore = breakAudit(t.server.store);
    await refused(call(manager, 'supervise:mode', { sessionId: session.sessionId, mode: 'coach' }));
    await refused(call(manager, 'recording:pause', { callId: agent.callId }));
    await nothingReached();
    expect((await ok(manager, 'supervise:mine', {})).sessions.map((s) => [s.sessionId, s.mode])).toEqual([[session.sessionId, 'monitor']]);
    expect(recording()).toBe('on');
    expect(auditCount()).toBe(records);
    restore();

    await ok(manager, 'recording:pause', { callId: agent.callId });
    await until(() => recordingNotices.length === 1, 1000, 'pause notice');
    await settle(...everyone);
    agentNotices.length = recordingNotices.length = agentPhones.length = deltas.length = 0;

    records = auditCount();
    restore = breakAudit(t.server.store);
    await refused(call(manager, 'recording:resume', { callId: agent.callId }));
    await nothingReached();
    expect(recording()).toBe('paused');
    expect(auditCount()).toBe(records);
    expect(messages).toHaveLength(5);
    allSaidAuditDown();
  });

  it('users:create and profiles:update: no user, no profile change, no rights pushed, no record', async () => {
    const trainer = (await connectAs(t.server.url, 'trainer')).socket;
    const rightsPushes = collect<MeRights>(trainer, 'me:rights');
    const { profiles } = await ok(t.admin, 'profiles:list', {});
    const agentProfile = profiles.find((p) => p.key === 'agent')!;
    const trainerProfile = profiles.find((p) => p.name === 'Trainer')!;
    const usersBefore = await t.server.store.users.list();
    const records = auditCount();

    restore = breakAudit(t.server.store);
    await refused(call(t.admin, 'users:create', { username: 'new.agent', displayName: 'New Agent', password: 'a-long-password', profileId: agentProfile.id }));
    await refused(call(t.admin, 'profiles:update', { profileId: trainerProfile.id, rights: [...trainerProfile.rights, 'live.barge'] }));
    await settle(trainer, t.admin);

    expect(await t.server.store.users.credentials('new.agent')).toBeNull();
    expect(await t.server.store.users.list()).toEqual(usersBefore);
    expect(await t.server.store.profiles.get(trainerProfile.id)).toEqual(trainerProfile);
    expect(t.server.floor.directory.actor((await t.server.store.users.credentials('trainer'))!.id)!.rights.has('live.barge')).toBe(false);
    expect(rightsPushes).toEqual([]);
    expect(auditCount()).toBe(records);
    expect(messages).toHaveLength(2);
    allSaidAuditDown();
    restore();

    // Back in order, the same requests are carried out.
    await ok(t.admin, 'users:create', { username: 'new.agent', displayName: 'New Agent', password: 'a-long-password', profileId: agentProfile.id });
    expect(await t.server.store.users.credentials('new.agent')).not.toBeNull();
    expect(auditCount()).toBe(records + 1);
  });
});
