import type { SupervisionEnded, SupervisionNotice } from '@earshot/shared';
import { describe, expect, it } from 'vitest';
import { agentOnCall, collect, until } from '../support/floor.js';
import { call, connectAs, freshServerPerTest, ok } from '../support/harness.js';

const t = freshServerPerTest();

describe('a repeated requestId', () => {
  it('after the right was removed and the session ended, is refused like a new request, not answered from the first', async () => {
    const agent = await agentOnCall(t.server, 'agent.billing');
    const notices = collect<SupervisionNotice>(agent.socket, 'notice:supervision');
    const manager = (await connectAs(t.server.url, 'manager.billing')).socket;
    const ends = collect<SupervisionEnded>(manager, 'supervise:ended');
    const request = { agentId: agent.userId, mode: 'monitor', requestId: 'start-1' } as const;
    const first = await call(manager, 'supervise:start', request);
    expect(first.ok).toBe(true);

    // The Manager profile loses the live modes: the session ends (docs/permissions.md rule 7).
    const { profiles } = await ok(t.admin, 'profiles:list', {});
    const managerProfile = profiles.find((p) => p.key === 'manager')!;
    const live = new Set(['live.monitor', 'live.coach', 'live.barge']);
    await ok(t.admin, 'profiles:update', { profileId: managerProfile.id, rights: managerProfile.rights.filter((r) => !live.has(r)) });
    await until(() => ends.length === 1, 2000, 'the session ends');
    expect(ends[0]!.reason).toBe('rights-revoked');

    const repeat = await call(manager, 'supervise:start', request);
    expect(repeat).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'Your profile (Manager) does not hold Live Monitor (live.monitor)' },
    });
    expect((await ok(manager, 'supervise:mine', {})).sessions).toEqual([]);
    await new Promise((r) => setTimeout(r, 50));
    expect(notices.map((n) => n.phase)).toEqual(['started', 'ended']);
    const { records } = await ok(t.admin, 'audit:query', { action: 'supervise:start' });
    expect(records.map((r) => [r.outcome, r.code])).toEqual([
      ['denied', 'FORBIDDEN'],
      ['ok', null],
    ]);
  });

  it('for a different request answers CONFLICT; for the same request, the first answer', async () => {
    const agent = await agentOnCall(t.server, 'agent.billing');
    const manager = (await connectAs(t.server.url, 'manager.billing')).socket;
    const first = await call(manager, 'supervise:start', { agentId: agent.userId, mode: 'monitor', requestId: 'start-2' });
    expect(first.ok).toBe(true);

    const other = await call(manager, 'supervise:start', { agentId: agent.userId, mode: 'coach', requestId: 'start-2' });
    expect(other).toEqual({
      ok: false,
      error: {
        code: 'CONFLICT',
        message: 'requestId: "start-2" was already used for a different supervise:start request; use a new requestId for a new request',
      },
    });
    // The same request, its fields in another order: the first answer.
    expect(await call(manager, 'supervise:start', { requestId: 'start-2', mode: 'monitor', agentId: agent.userId })).toEqual(first);
    expect((await ok(manager, 'supervise:mine', {})).sessions.map((s) => s.mode)).toEqual(['monitor']);
    const { records } = await ok(t.admin, 'audit:query', { action: 'supervise:start' });
    expect(records.map((r) => [r.outcome, r.code])).toEqual([
      ['refused', 'CONFLICT'],
      ['ok', null],
    ]);
  });
});
