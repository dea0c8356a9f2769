import { hash } from 'node:crypto';
import type { AuditRecord } from '@earshot/shared';
import type { AuditEntry } from './repositories.js';

export const GENESIS_HASH = '0'.repeat(64);

type Hashed = Omit<AuditRecord, 'hash' | 'prevHash'>;

/** The record's hash covers every field and the previous hash, so editing or removing any record shows. */
export function auditHash(prevHash: string, r: Hashed): string {
  const canonical = JSON.stringify([r.id, r.at, r.actorId, r.actorName, r.action, r.targetType, r.targetId, r.outcome, r.code, r.detail]);
  // One-shot: the same bytes as updating a hash with each part, without a Hash object per record.
  return hash('sha256', `${prevHash}\n${canonical}`, 'hex');
}

/** The record an entry becomes when appended after `head` (undefined: the log is empty). */
export function chainedRecord(head: { id: number; hash: string } | undefined, e: AuditEntry): AuditRecord {
  const prevHash = head?.hash ?? GENESIS_HASH;
  const base = {
    id: (head?.id ?? 0) + 1,
    at: e.at,
    actorId: e.actorId,
    actorName: e.actorName,
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId,
    outcome: e.outcome,
    code: e.code,
    // Stored as parsed back, so the hash covers exactly what a reader will see.
    detail: JSON.parse(JSON.stringify(e.detail)) as Record<string, unknown>,
  };
  return { ...base, prevHash, hash: auditHash(prevHash, base) };
}

export type ChainVerdict = { intact: true; count: number; head: string } | { intact: false; count: number; brokenAt: number; reason: string };

export function verifyAuditChain(records: Iterable<AuditRecord>): ChainVerdict {
  let prev = GENESIS_HASH;
  let prevId = 0;
  let count = 0;
  for (const r of records) {
    if (r.prevHash !== prev) {
      return { intact: false, count, brokenAt: r.id, reason: `record ${r.id} does not follow record ${prevId}: a record before it was removed or altered` };
    }
    if (prevId !== 0 && r.id !== prevId + 1) {
      return { intact: false, count, brokenAt: r.id, reason: `records ${prevId + 1} to ${r.id - 1} are missing` };
    }
    if (auditHash(r.prevHash, r) !== r.hash) {
      return { intact: false, count, brokenAt: r.id, reason: `record ${r.id} was altered after it was written` };
    }
    prev = r.hash;
    prevId = r.id;
    count++;
  }
  return { intact: true, count, head: prev };
}
