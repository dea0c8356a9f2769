import { hash } from 'node:crypto';
import type { AuditRecord } from '@earshot/shared';
import type { AuditEntry } from './repositories.js';

export const GENESIS_HASH = '0'.repeat(64);

type Hashed = Omit<AuditRecord, 'hash' | 'prevHash'>;

/** The record's hash covers every field and the previous hash, so editing or removing any record shows. */
export function auditHash(prevHash: string, r: Hashed): string {
  return hashOver(prevHash, r, JSON.stringify(r.detail));
}

/**
 * The hash of `JSON.stringify([r.id, …, r.code, r.detail])` after `prevHash`, with the detail's text given:
 * an append has just made it for the row, and a second `JSON.stringify` of the detail was a third of an
 * append's own time.
 */
function hashOver(prevHash: string, r: Hashed, detailJson: string): string {
  const fields = JSON.stringify([r.id, r.at, r.actorId, r.actorName, r.action, r.targetType, r.targetId, r.outcome, r.code]);
  // One-shot: the same bytes as updating a hash with each part, without a Hash object per record.
  return hash('sha256', `${prevHash}\n${fields.slice(0, -1)},${detailJson}]`, 'hex');
}

/**
 * The record an entry becomes when appended after `head` (undefined: the log is empty), and its detail as the
 * row stores it. The detail is stored as it reads back, so the hash covers exactly what a reader will see: its
 * text is made once, and the record's detail is that text read back (`JSON.stringify` of which is the same text).
 */
export function chainedRecord(head: { id: number; hash: string } | undefined, e: AuditEntry): { record: AuditRecord; detailJson: string } {
  const prevHash = head?.hash ?? GENESIS_HASH;
  const detailJson = JSON.stringify(e.detail);
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
    detail: JSON.parse(detailJson) as Record<string, unknown>,
  };
  return { record: { ...base, prevHash, hash: hashOver(prevHash, base, detailJson) }, detailJson };
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
