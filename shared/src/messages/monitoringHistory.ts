import { z } from 'zod';
import { AuditCallSchema } from './audit.js';
import { TimestampSchema } from './common.js';
import { SessionEndReasonSchema, SupervisionModeSchema } from './floor.js';

/** How far back the agent's own monitoring history reaches. */
export const MONITORING_HISTORY_DAYS = 30;

/** One supervision of the agent's call, read from the audit log: who, in which mode(s), when, how long. */
export const MonitoringHistoryEntrySchema = z.object({
  supervisor: z.string(),
  /** The mode it started in, then each mode it was switched to, in order. */
  modes: z.array(SupervisionModeSchema).min(1),
  startedAt: TimestampSchema,
  /** null: still going on, or its end is not in the log (the server stopped meanwhile). */
  endedAt: TimestampSchema.nullable(),
  durationMs: z.number().int().nonnegative().nullable(),
  endReason: SessionEndReasonSchema.nullable(),
  /** The call as people know it (queue, masked number, start); null when the log kept no description. */
  call: AuditCallSchema.nullable(),
});
export type MonitoringHistoryEntry = z.infer<typeof MonitoringHistoryEntrySchema>;

/** `monitoring:history`: the caller's own calls' supervisions since `since`, newest first. */
export const MonitoringHistoryResponseSchema = z.object({
  since: TimestampSchema,
  entries: z.array(MonitoringHistoryEntrySchema),
});
export type MonitoringHistory = z.infer<typeof MonitoringHistoryResponseSchema>;
