import type { MonitoringHistory } from '@earshot/shared';
import { describe, expect, it } from 'vitest';
import { agentOnCall } from '../support/floor.js';
import { call, connectAs, freshServerPerTest, ok } from '../support/harness.js';

const t = freshServerPerTest();
const DAY = 24 * 60 * 60 * 1000;

describe("the agent's own monitoring history ('Who listened to my calls')", () => {
  it('lists each supervision of the agent’s calls in the last 30 days: who, modes, when, how long, the call; newest first; audited', async () => {
    const agent = await agentOnCall(t.server, 'agent.billing');
    const call1 = t.server.floor.phoneOf(agent.userId).call!;
    const manager = await connectAs(t.server.url, 'manager.billing');
    const trainer = await connectAs(t.server.url, 'trainer');

    const firstStart = t.server.clock.value;
    const { session } = await ok(manager.socket, 'supervise:start', { agentId: agent.userId, mode: 'monitor' });
    t.server.clock.advance(30_000);
    await ok(manager.socket, 'supervise:mode', { sessionId: session.sessionId, mode: 'coach' });
    t.server.clock.advance(45_000);
    await ok(manager.socket, 'supervise:stop', { sessionId: session.sessionId });

    t.server.clock.advance(5_000);
    const secondStart = t.server.clock.value;
    await ok(trainer.socket, 'supervise:start', { agentId: agent.userId, mode: 'monitor' });
    t.server.clock.advance(20_000);
    // The call ends: the trainer's session ends with it.
    const hungUp = await ok(agent.socket, 'call:hangUp', { callId: agent.callId });
    expect(hungUp.phone.state).toBe('wrapUp');

    // A supervision of another agent is not in this agent's history.
    const other = await agentOnCall(t.server, 'agent.sales');
    const c2 = t.server.floor.phoneOf(other.userId).call!;
    const otherCall = { queue: c2.queue, number: c2.remoteNumberMasked, startedAt: c2.startedAt };
    await ok(trainer.socket, 'supervise:start', { agentId: other.userId, mode: 'coach' });

    const history = await ok(agent.socket, 'monitoring:history', {});
    const callOne = { queue: call1.queue, number: call1.remoteNumberMasked, startedAt: call1.startedAt };
    expect(history).toEqual<MonitoringHistory>({
      since: t.server.clock.value - 30 * DAY,
      entries: [
        {
          supervisor: trainer.login.me.displayName,
          modes: ['monitor'],
          startedAt: secondStart,
          endedAt: secondStart + 20_000,
          durationMs: 20_000,
          endReason: 'call-ended',
          call: callOne,
        },
        {
          supervisor: manager.login.me.displayName,
          modes: ['monitor', 'coach'],
          startedAt: firstStart,
          endedAt: firstStart + 75_000,
          durationMs: 75_000,
          endReason: 'stopped',
          call: callOne,
        },
      ],
    });
    expect(call1.remoteNumberMasked).toMatch(/•/);

    // The other agent's supervision is still open: no end, no duration.
    expect((await ok(other.socket, 'monitoring:history', {})).entries).toEqual([
      {
        supervisor: trainer.login.me.displayName,
        modes: ['coach'],
        startedAt: t.server.clock.value,
        endedAt: null,
        durationMs: null,
        endReason: null,
        call: otherCall,
      },
    ]);

    const { records } = await ok(t.admin, 'audit:query', { action: 'monitoring:history' });
    expect(records.map((r) => [r.actorId, r.outcome, r.targetType, r.targetId])).toEqual([
      [other.userId, 'ok', 'user', String(other.userId)],
      [agent.userId, 'ok', 'user', String(agent.userId)],
    ]);

    // 31 days on, the supervisions have left the window.
    t.server.clock.advance(31 * DAY);
    const later = (await connectAs(t.server.url, 'agent.billing')).socket;
    expect(await ok(later, 'monitoring:history', {})).toEqual({ since: t.server.clock.value - 30 * DAY, entries: [] });
  });

  it('refused without Live Monitoring Notifications (FORBIDDEN), audited as denied', async () => {
    const privileged = await connectAs(t.server.url, 'privileged.support');
    expect(await call(privileged.socket, 'monitoring:history', {})).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'Your profile (Privileged User) does not hold Live Monitoring Notifications (live.notifications)' },
    });
    const manager = await connectAs(t.server.url, 'manager.billing');
    expect(await call(manager.socket, 'monitoring:history', {})).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'Your profile (Manager) does not hold Live Monitoring Notifications (live.notifications)' },
    });
    expect(await call(privileged.socket, 'monitoring:history', { agentId: 3 } as never)).toEqual({
      ok: false,
      error: { code: 'INVALID', message: 'The request has a field this action does not take: "agentId".' },
    });
    const { records } = await ok(t.admin, 'audit:query', { action: 'monitoring:history' });
    expect(records.map((r) => [r.actorName, r.outcome, r.code])).toEqual([
      [privileged.login.me.displayName, 'refused', 'INVALID'],
      [manager.login.me.displayName, 'denied', 'FORBIDDEN'],
      [privileged.login.me.displayName, 'denied', 'FORBIDDEN'],
    ]);
  });
});
