import type { AuditRecord } from '@earshot/shared';
import { describe, expect, it } from 'vitest';
import { monitoringHistoryOf } from './monitoringHistory.js';

let nextId = 1;
const rec = (action: string, at: number, detail: Record<string, unknown>, extra: Partial<AuditRecord> = {}): AuditRecord => ({
  id: nextId++,
  at,
  actorId: 9,
  actorName: 'Sam Super',
  action,
  targetType: 'user',
  targetId: '4',
  outcome: 'ok',
  code: null,
  detail,
  prevHash: '',
  hash: '',
  ...extra,
});

describe('monitoringHistoryOf', () => {
  it('one entry per started session: its modes in order, its end and length; a refused start and one before the window are left out', () => {
    const call = { queue: 'Billing', number: '••••100', startedAt: 500 };
    const records = [
      rec('supervise:start', 900, { sessionId: 'old', mode: 'monitor' }),
      rec('supervise:start', 1000, { sessionId: 's1', mode: 'monitor', call }),
      rec('supervise:start', 1100, { mode: 'barge' }, { outcome: 'denied', code: 'FORBIDDEN' }),
      rec('supervise:mode', 2000, { sessionId: 's1', from: 'monitor', to: 'coach' }),
      rec('supervise:mode', 2500, { sessionId: 's1', from: 'coach', to: 'barge' }, { outcome: 'refused', code: 'CONFLICT' }),
      rec('supervise:ended', 4000, { sessionId: 's1', mode: 'coach', reason: 'stopped' }),
      rec('supervise:ended', 4100, { sessionId: 'old', mode: 'monitor', reason: 'call-ended' }),
      rec('supervise:start', 5000, { sessionId: 's2', mode: 'takeOver' }, { actorName: 'Tara Trainer' }),
    ].reverse();
    expect(monitoringHistoryOf(records, 1000)).toEqual([
      { supervisor: 'Tara Trainer', modes: ['takeOver'], startedAt: 5000, endedAt: null, durationMs: null, endReason: null, call: null },
      { supervisor: 'Sam Super', modes: ['monitor', 'coach'], startedAt: 1000, endedAt: 4000, durationMs: 3000, endReason: 'stopped', call },
    ]);
  });
});
