import { AuditCallSchema, SessionEndReasonSchema, SupervisionModeSchema, type AuditRecord, type MonitoringHistoryEntry } from '@earshot/shared';

/**
 * The supervisions of one agent's calls, from the audit log's records that target the agent: a
 * successful `supervise:start` opens one (its session id in the detail), each successful `supervise:mode`
 * adds a mode, `supervise:ended` closes it. Only sessions started at or after `since` are kept; newest first.
 */
export function monitoringHistoryOf(records: readonly AuditRecord[], since: number): MonitoringHistoryEntry[] {
  const chronological = [...records].sort((a, b) => a.id - b.id);
  const entries = new Map<string, MonitoringHistoryEntry>();
  for (const r of chronological) {
    const sessionId = typeof r.detail.sessionId === 'string' ? r.detail.sessionId : null;
    if (sessionId === null) continue;
    if (r.action === 'supervise:start' && r.outcome === 'ok' && r.at >= since) {
      const mode = SupervisionModeSchema.safeParse(r.detail.mode);
      if (!mode.success) continue;
      const call = AuditCallSchema.safeParse(r.detail.call);
      entries.set(sessionId, {
        supervisor: r.actorName ?? 'Someone',
        modes: [mode.data],
        startedAt: r.at,
        endedAt: null,
        durationMs: null,
        endReason: null,
        call: call.success ? call.data : null,
      });
      continue;
    }
    const entry = entries.get(sessionId);
    if (!entry) continue;
    if (r.action === 'supervise:mode' && r.outcome === 'ok') {
      const to = SupervisionModeSchema.safeParse(r.detail.to);
      if (to.success && to.data !== entry.modes[entry.modes.length - 1]) entry.modes.push(to.data);
    } else if (r.action === 'supervise:ended') {
      const reason = SessionEndReasonSchema.safeParse(r.detail.reason);
      entry.endedAt = r.at;
      entry.durationMs = Math.max(0, r.at - entry.startedAt);
      entry.endReason = reason.success ? reason.data : null;
    }
  }
  return [...entries.values()].sort((a, b) => b.startedAt - a.startedAt);
}
