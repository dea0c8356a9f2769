import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { auditHash, chainedRecord, GENESIS_HASH, verifyAuditChain } from './auditChain.js';
import type { AuditEntry } from './repositories.js';

const entry = (detail: Record<string, unknown>): AuditEntry => ({
  at: 1_700_000_000_000,
  actorId: 7,
  actorName: 'Sam "the" Supervisor',
  action: 'supervise:start',
  targetType: 'user',
  targetId: '12',
  outcome: 'ok',
  code: null,
  detail,
});

// Details whose text changes when read back, or is easy to get wrong when spliced: all must hash as the
// whole record's JSON does, or a verifier would call the log altered.
const details: Record<string, unknown>[] = [
  {},
  { sessionId: 'abc', input: { agentId: 12, mode: 'monitor' } },
  { b: 1, 10: 'ten', 2: 'two', a: [1, 2, { c: null }] },
  { at: new Date(0), missing: undefined, big: 1e21, small: 1e-7, negZero: -0 },
  { text: 'naïve — 日本 \u2028 "quoted" \\ back', lone: '\ud800' },
];

describe('chainedRecord', () => {
  it.each(details.map((d, i) => [i, d] as const))('detail %i: hashed over the whole record as it reads back', (_i, detail) => {
    const { record, detailJson } = chainedRecord({ id: 41, hash: 'f'.repeat(64) }, entry(detail));
    expect(record.id).toBe(42);
    expect(record.prevHash).toBe('f'.repeat(64));
    expect(detailJson).toBe(JSON.stringify(record.detail));
    const canonical = JSON.stringify([42, record.at, 7, 'Sam "the" Supervisor', 'supervise:start', 'user', '12', 'ok', null, JSON.parse(detailJson)]);
    expect(record.hash).toBe(
      createHash('sha256')
        .update(`${'f'.repeat(64)}\n${canonical}`)
        .digest('hex'),
    );
    expect(auditHash(record.prevHash, record)).toBe(record.hash);
  });

  it('chains from the genesis hash, and a changed detail breaks the chain at that record', () => {
    const first = chainedRecord(undefined, entry({ n: 1 })).record;
    const second = chainedRecord(first, entry({ n: 2 })).record;
    expect(first.prevHash).toBe(GENESIS_HASH);
    expect(verifyAuditChain([first, second])).toEqual({ intact: true, count: 2, head: second.hash });
    expect(verifyAuditChain([first, { ...second, detail: { n: 3 } }])).toMatchObject({ intact: false, brokenAt: 2 });
  });
});
