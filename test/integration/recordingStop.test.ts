import type { RecordingNotice } from '@earshot/shared';
import { describe, expect, it } from 'vitest';
import { agentOnCall, collect, until } from '../support/floor.js';
import { call, connectAs, freshServerPerTest, ok } from '../support/harness.js';

const t = freshServerPerTest();

describe('stopping a recording', () => {
  it('a Manager stops the recording he started: audited, the agent is told, the file is finished', async () => {
    const agent = await agentOnCall(t.server, 'agent.billing');
    const notices = collect<RecordingNotice>(agent.socket, 'notice:recording');
    const { socket: manager, login } = await connectAs(t.server.url, 'manager.billing');
    expect(await ok(manager, 'recording:start', { callId: agent.callId })).toEqual({ callId: agent.callId, state: 'on' });
    t.server.stepAudio();
    expect(await ok(manager, 'recording:stop', { callId: agent.callId })).toEqual({ callId: agent.callId, state: 'off' });
    await until(() => notices.length === 2, 2000, 'two recording notices');
    expect(notices.map((n) => [n.state, n.by?.name])).toEqual([
      ['on', login.me.displayName],
      ['off', login.me.displayName],
    ]);
    expect(t.server.floor.phoneOf(agent.userId).call!.recording).toBe('off');

    const { records } = await ok(t.admin, 'audit:query', { action: 'recording:stop' });
    expect(records.map((r) => [r.actorName, r.outcome, r.targetType, r.targetId, r.detail.state])).toEqual([
      [login.me.displayName, 'ok', 'call', agent.callId, 'off'],
    ]);
    await t.server.media.settled();
    const { recordings } = await t.server.store.recordings.page({ agentIds: null, limit: 10 });
    expect(recordings).toHaveLength(1);
    expect(recordings[0]!.endedAt).not.toBeNull();
    // Recording again makes a second file.
    await ok(manager, 'recording:start', { callId: agent.callId });
    t.server.stepAudio();
    expect((await t.server.store.recordings.page({ agentIds: null, limit: 10 })).recordings).toHaveLength(2);
  });

  it('an agent stops the recording of their own call; a trainer without Initiate User Recording may not; a stopped one cannot stop again', async () => {
    const agent = await agentOnCall(t.server, 'agent.sales');
    await ok(agent.socket, 'recording:start', { callId: agent.callId });
    expect(await ok(agent.socket, 'recording:stop', { callId: agent.callId })).toEqual({ callId: agent.callId, state: 'off' });
    await ok(agent.socket, 'recording:start', { callId: agent.callId });
    const trainer = (await connectAs(t.server.url, 'trainer')).socket;
    expect(await call(trainer, 'recording:stop', { callId: agent.callId })).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'Your profile (Trainer) does not hold Initiate User Recording (recording.initiate)' },
    });
    await ok(agent.socket, 'recording:stop', { callId: agent.callId });
    const again = await call(agent.socket, 'recording:stop', { callId: agent.callId });
    expect(again.ok ? null : again.error.code).toBe('CONFLICT');
    const other = (await connectAs(t.server.url, 'agent.billing')).socket;
    const out = await call(other, 'recording:stop', { callId: agent.callId });
    expect(out.ok ? null : out.error.code).toBe('OUT_OF_SCOPE');
  });
});
