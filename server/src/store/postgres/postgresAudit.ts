import type { AuditQuery, AuditRecord } from '@earshot/shared';
import { chainedRecord, GENESIS_HASH } from '../auditChain.js';
import { AUDIT_COLUMNS, type AuditRow, auditRecordFromRow, auditRowValues } from '../auditRows.js';
import type { AuditEntry, AuditRepository } from '../repositories.js';
import type { PostgresDatabase } from './postgresDatabase.js';

const HEAD = 'SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1';
const SCAN_PAGE = 1000;

/**
 * The audit chain in PostgreSQL, appended to by every node. An append locks the one `audit_head` row, then
 * reads the head in a statement of its own (READ COMMITTED: a fresh snapshot, taken after the lock, so it
 * sees the append that held the lock before), and inserts after it: the appends of all nodes follow one
 * another, and the ids are the chain's own, with no sequence to skip a number when an append rolls back.
 */
export class PostgresAuditRepository implements AuditRepository {
  constructor(private readonly db: PostgresDatabase) {}

  append(e: AuditEntry): AuditRecord {
    const outermost = !this.db.inTransaction;
    return this.db.transaction(() => {
      const [, headRows] = this.db.run([{ sql: 'SELECT 1 FROM audit_head FOR UPDATE' }, { sql: HEAD }]);
      const head = headRows!.rows[0] as { id: number; hash: string } | undefined;
      const { record, detailJson } = chainedRecord(head, e);
      const insert = {
        sql: `INSERT INTO audit (${AUDIT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        params: auditRowValues(record, detailJson),
      };
      // An append of its own commits with its insert, in one round trip (a failure throws from here all the
      // same); inside an action's transaction the insert runs at once, so its failure is the audit's.
      if (outermost) this.db.defer(insert);
      else this.db.run([insert]);
      return record;
    });
  }

  async query(q: AuditQuery): Promise<{ records: AuditRecord[]; total: number; nextBefore: number | null }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(clause(`$${params.length}`));
    };
    if (q.actorId !== undefined) add((p) => `actor_id = ${p}`, q.actorId);
    if (q.targetType !== undefined) add((p) => `target_type = ${p}`, q.targetType);
    if (q.targetId !== undefined) add((p) => `target_id = ${p}`, q.targetId);
    if (q.action !== undefined) add((p) => (q.action!.endsWith(':') ? `starts_with(action, ${p})` : `action = ${p}`), q.action);
    if (q.outcome !== undefined) add((p) => `outcome = ${p}`, q.outcome);
    if (q.from !== undefined) add((p) => `at >= ${p}`, q.from);
    if (q.to !== undefined) add((p) => `at <= ${p}`, q.to);
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const limit = q.limit ?? 100;
    const pageParams = [...params, limit + 1];
    let pageWhere = filter;
    if (q.before !== undefined) {
      pageParams.push(q.before);
      pageWhere = `${filter ? `${filter} AND` : 'WHERE'} id < $${pageParams.length}`;
    }
    const [counted, rows] = await Promise.all([
      this.db.read<{ n: number }>(`SELECT COUNT(*) AS n FROM audit ${filter}`, params),
      this.db.read<AuditRow>(`SELECT * FROM audit ${pageWhere} ORDER BY id DESC LIMIT $${params.length + 1}`, pageParams),
    ]);
    const more = rows.length > limit;
    const page = rows.slice(0, limit).map(auditRecordFromRow);
    return { records: page, total: counted[0]!.n, nextBefore: more ? page[page.length - 1]!.id : null };
  }

  head(): { id: number; hash: string } {
    return this.db.query<{ id: number; hash: string }>(HEAD).rows[0] ?? { id: 0, hash: GENESIS_HASH };
  }

  hashAt(id: number): string | null {
    return this.db.query<{ hash: string }>('SELECT hash FROM audit WHERE id = $1', [id]).rows[0]?.hash ?? null;
  }

  /** Page by page, so a long log is never held in memory whole. */
  *scan(): Iterable<AuditRecord> {
    let after = Number.MIN_SAFE_INTEGER;
    for (;;) {
      const { rows } = this.db.query<AuditRow>('SELECT * FROM audit WHERE id > $1 ORDER BY id LIMIT $2', [after, SCAN_PAGE]);
      for (const r of rows) yield auditRecordFromRow(r);
      if (rows.length < SCAN_PAGE) return;
      after = rows.at(-1)!.id;
    }
  }
}
