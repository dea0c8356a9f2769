import { z } from 'zod';
import { ErrorCodeSchema } from '../errors.js';
import { IdSchema, TimestampSchema } from './common.js';

/**
 * `ok`: done. `denied`: refused for want of a right, of scope, or of a valid login.
 * `refused`: authorized but not done (invalid input, a broken rule, a conflict, not found).
 * `error`: the server failed.
 */
export const AUDIT_OUTCOMES = ['ok', 'denied', 'refused', 'error'] as const;
export const AuditOutcomeSchema = z.enum(AUDIT_OUTCOMES);
export type AuditOutcome = z.infer<typeof AuditOutcomeSchema>;

export const AuditRecordSchema = z.object({
  id: IdSchema,
  at: TimestampSchema,
  actorId: IdSchema.nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  outcome: AuditOutcomeSchema,
  code: ErrorCodeSchema.nullable(),
  detail: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditRecord = z.infer<typeof AuditRecordSchema>;

export const AUDIT_PAGE_MAX = 500;

export const AuditQueryRequestSchema = z.strictObject({
  actorId: IdSchema.optional(),
  targetType: z.string().max(40).optional(),
  targetId: z.string().max(40).optional(),
  /** Exact action name (`profiles:update`) or a prefix ending in `:` (`profiles:`). */
  action: z.string().max(60).optional(),
  outcome: AuditOutcomeSchema.optional(),
  from: TimestampSchema.optional(),
  to: TimestampSchema.optional(),
  limit: z.number().int().min(1).max(AUDIT_PAGE_MAX).optional(),
  /** Cursor: return records with an id below this one (newest first). */
  before: IdSchema.optional(),
});
export type AuditQuery = z.infer<typeof AuditQueryRequestSchema>;

/**
 * A call as people see it: its queue, the masked number and when it started; never its internal id.
 * Kept in a record's detail (`call`) when the record names a call, since a call outlives nothing else.
 */
export const AuditCallSchema = z.object({
  queue: z.string(),
  number: z.string(),
  startedAt: TimestampSchema,
});
export type AuditCall = z.infer<typeof AuditCallSchema>;

/**
 * What the records of a page refer to by id, resolved by the server when the page is read: users,
 * profiles and teams by their id (a deleted one by the name it had when it was deleted), calls by their id.
 */
export const AuditNamesSchema = z.object({
  users: z.record(z.string(), z.string()),
  profiles: z.record(z.string(), z.string()),
  teams: z.record(z.string(), z.string()),
  calls: z.record(z.string(), AuditCallSchema),
});
export type AuditNames = z.infer<typeof AuditNamesSchema>;

/** One user, profile or team the audit log can be filtered on, by the name people know it by. */
export const AuditChoiceSchema = z.object({ id: IdSchema, name: z.string() });
export type AuditChoice = z.infer<typeof AuditChoiceSchema>;

/**
 * What the audit log's filters offer by name (the actor, a target user, profile or team), so that nobody types an
 * internal id: every user, profile and team as it is now, sorted by name.
 */
export const AuditChoicesResponseSchema = z.object({
  users: z.array(AuditChoiceSchema),
  profiles: z.array(AuditChoiceSchema),
  teams: z.array(AuditChoiceSchema),
});
export type AuditChoices = z.infer<typeof AuditChoicesResponseSchema>;

export const AuditQueryResponseSchema = z.object({
  records: z.array(AuditRecordSchema),
  names: AuditNamesSchema,
  total: z.number().int().nonnegative(),
  /** Pass as `before` for the next page; null on the last page. */
  nextBefore: IdSchema.nullable(),
});
