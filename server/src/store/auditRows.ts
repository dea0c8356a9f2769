import type { AuditOutcome, AuditRecord, ErrorCode } from '@earshot/shared';

/** An `audit` row as both stores read it back (`detail` is stored as JSON text). */
export interface AuditRow {
  id: number;
  at: number;
  actor_id: number | null;
  actor_name: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  outcome: AuditOutcome;
  code: ErrorCode | null;
  detail: string;
  prev_hash: string;
  hash: string;
}

export const auditRecordFromRow = (r: AuditRow): AuditRecord => ({
  id: r.id,
  at: r.at,
  actorId: r.actor_id,
  actorName: r.actor_name,
  action: r.action,
  targetType: r.target_type,
  targetId: r.target_id,
  outcome: r.outcome,
  code: r.code,
  detail: JSON.parse(r.detail) as Record<string, unknown>,
  prevHash: r.prev_hash,
  hash: r.hash,
});

/** The columns a record is inserted into, in the order of `auditRowValues`. */
export const AUDIT_COLUMNS = 'id, at, actor_id, actor_name, action, target_type, target_id, outcome, code, detail, prev_hash, hash';

/** `detailJson`: the detail as stored, the text its hash was made over (`chainedRecord`). */
export const auditRowValues = (r: AuditRecord, detailJson: string): unknown[] => [
  r.id,
  r.at,
  r.actorId,
  r.actorName,
  r.action,
  r.targetType,
  r.targetId,
  r.outcome,
  r.code,
  detailJson,
  r.prevHash,
  r.hash,
];
