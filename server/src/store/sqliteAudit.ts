import type { AuditQuery, AuditRecord } from '@earshot/shared';
import { chainedRecord, GENESIS_HASH } from './auditChain.js';
import { AUDIT_COLUMNS, type AuditRow, auditRecordFromRow, auditRowValues } from './auditRows.js';
import { statementCache, type PreparedStatement, type SqliteDatabase } from './openDatabase.js';
import type { AuditEntry, AuditRepository } from './repositories.js';

export class SqliteAuditRepository implements AuditRepository {
  private readonly appendTx;
  private readonly sql: (sql: string) => PreparedStatement;
  private readonly headStmt: PreparedStatement;
  private readonly insertStmt: PreparedStatement;

  constructor(private readonly db: SqliteDatabase) {
    this.sql = statementCache(db);
    this.headStmt = this.sql('SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1');
    this.insertStmt = this.sql(`INSERT INTO audit (${AUDIT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    // Reading the head and inserting after it in one transaction keeps the chain linear.
    this.appendTx = db.transaction((e: AuditEntry): AuditRecord => this.appendAfterHead(e));
  }

  append(entry: AuditEntry): AuditRecord {
    // Inside the caller's transaction the read and the one INSERT are already atomic: no savepoint around them
    // (two more statements on every audited action's path to its effect).
    return this.db.inTransaction ? this.appendAfterHead(entry) : this.appendTx(entry);
  }

  private appendAfterHead(e: AuditEntry): AuditRecord {
    const { record, detailJson } = chainedRecord(this.headStmt.get() as { id: number; hash: string } | undefined, e);
    this.insertStmt.run(...auditRowValues(record, detailJson));
    return record;
  }

  async query(q: AuditQuery): Promise<{ records: AuditRecord[]; total: number; nextBefore: number | null }> {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    if (q.actorId !== undefined) {
      where.push('actor_id = @actorId');
      params.actorId = q.actorId;
    }
    if (q.targetType !== undefined) {
      where.push('target_type = @targetType');
      params.targetType = q.targetType;
    }
    if (q.targetId !== undefined) {
      where.push('target_id = @targetId');
      params.targetId = q.targetId;
    }
    if (q.action !== undefined) {
      if (q.action.endsWith(':')) {
        where.push('substr(action, 1, length(@action)) = @action');
      } else {
        where.push('action = @action');
      }
      params.action = q.action;
    }
    if (q.outcome !== undefined) {
      where.push('outcome = @outcome');
      params.outcome = q.outcome;
    }
    if (q.from !== undefined) {
      where.push('at >= @from');
      params.from = q.from;
    }
    if (q.to !== undefined) {
      where.push('at <= @to');
      params.to = q.to;
    }
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (this.sql(`SELECT COUNT(*) AS n FROM audit ${filter}`).get(params) as { n: number }).n;
    const limit = q.limit ?? 100;
    const pageWhere = q.before !== undefined ? `${filter ? `${filter} AND` : 'WHERE'} id < @before` : filter;
    const rows = this.db
      .prepare(`SELECT * FROM audit ${pageWhere} ORDER BY id DESC LIMIT @limit`)
      .all({ ...params, before: q.before, limit: limit + 1 }) as AuditRow[];
    const more = rows.length > limit;
    const page = rows.slice(0, limit).map(auditRecordFromRow);
    return { records: page, total, nextBefore: more ? page[page.length - 1]!.id : null };
  }

  head(): { id: number; hash: string } {
    const row = this.sql('SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1').get() as { id: number; hash: string } | undefined;
    return row ?? { id: 0, hash: GENESIS_HASH };
  }

  hashAt(id: number): string | null {
    const row = this.sql('SELECT hash FROM audit WHERE id = ?').get(id) as { hash: string } | undefined;
    return row?.hash ?? null;
  }

  *scan(): Iterable<AuditRecord> {
    for (const r of this.sql('SELECT * FROM audit ORDER BY id').iterate() as Iterable<AuditRow>) yield auditRecordFromRow(r);
  }
}
