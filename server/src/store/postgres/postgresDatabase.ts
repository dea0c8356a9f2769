import pg from 'pg';
import { type Statement, type StatementResult, SyncConnection } from './syncConnection.js';

/** BIGINT (ids, times in ms) as numbers: every value the store keeps is far below 2^53. */
const INT8 = 20;
const INT8_ARRAY = 1016;
const INT4_ARRAY = 1007;
type TypeId = Parameters<typeof pg.types.getTypeParser>[0];
const int4Array = pg.types.getTypeParser(INT4_ARRAY as TypeId, 'text');
const int8 = (v: string | null) => (v === null ? null : Number(v));
export const NUMBER_TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 ? int8 : oid === INT8_ARRAY ? int4Array : pg.types.getTypeParser(oid as TypeId, format ?? 'text')) as typeof pg.types.getTypeParser,
};

/**
 * Set on the synchronous connection: a transaction left open, or a lock another node holds too long, must
 * not stop this node's event loop for longer than this.
 */
const SYNC_SETUP = ["SET lock_timeout = '10s'", "SET statement_timeout = '30s'", "SET idle_in_transaction_session_timeout = '30s'"];

/**
 * One PostgreSQL store's two ways in: the synchronous connection, for every write and for the reads the
 * interfaces answer synchronously (they run in the writers' transactions), and a pool for the async reads.
 */
export class PostgresDatabase {
  readonly pool: pg.Pool;
  private readonly connection: SyncConnection;
  private depth = 0;
  /** BEGIN or SAVEPOINTs not sent yet: they go with the transaction's first statement, in one round trip. */
  private pending: Statement[] = [];

  constructor(readonly url: string) {
    this.connection = new SyncConnection(url, SYNC_SETUP);
    this.pool = new pg.Pool({ connectionString: url, types: NUMBER_TYPES, max: 4 });
    // An idle pooled client whose connection drops: the pool replaces it at the next query.
    this.pool.on('error', () => undefined);
  }

  /** Runs the statements in one round trip (inside the current transaction, if any). */
  run(steps: readonly Statement[]): StatementResult[] {
    if (this.pending.length === 0) return this.connection.run(steps);
    const opening = this.pending;
    this.pending = [];
    return this.connection.run([...opening, ...steps]).slice(opening.length);
  }

  query<R = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): { rows: R[]; rowCount: number } {
    return this.run([{ sql, params }])[0] as { rows: R[]; rowCount: number };
  }

  /**
   * Runs `work` in one transaction: the outermost is BEGIN … COMMIT, a nested one a savepoint. Sent with the
   * first statement inside it; a transaction that ran none costs no round trip.
   */
  transaction<T>(work: () => T): T {
    const depth = this.depth;
    const mark = this.pending.length;
    const name = `s${depth}`;
    this.pending.push({ sql: depth === 0 ? 'BEGIN' : `SAVEPOINT ${name}` });
    this.depth = depth + 1;
    let out: T;
    try {
      out = work();
    } catch (e) {
      this.depth = depth;
      if (this.pending.length > mark) this.pending.length = mark;
      else this.undo(depth === 0 ? ['ROLLBACK'] : [`ROLLBACK TO SAVEPOINT ${name}`, `RELEASE SAVEPOINT ${name}`]);
      throw e;
    }
    this.depth = depth;
    if (this.pending.length > mark) {
      this.pending.length = mark;
      return out;
    }
    try {
      this.connection.run([{ sql: depth === 0 ? 'COMMIT' : `RELEASE SAVEPOINT ${name}` }]);
    } catch (e) {
      if (depth > 0) this.undo([`ROLLBACK TO SAVEPOINT ${name}`, `RELEASE SAVEPOINT ${name}`]);
      throw e;
    }
    return out;
  }

  /**
   * The statements as one unit inside the current transaction, so that a failing one (a constraint) leaves
   * the transaction usable, as a failed statement leaves SQLite's: a savepoint around them, sent with them.
   * Outside a transaction they run as one.
   */
  guarded(steps: readonly Statement[]): StatementResult[] {
    if (this.depth === 0) return this.transaction(() => this.run(steps));
    const name = `g${this.depth}`;
    let results: StatementResult[];
    try {
      results = this.run([{ sql: `SAVEPOINT ${name}` }, ...steps, { sql: `RELEASE SAVEPOINT ${name}` }]);
    } catch (e) {
      this.undo([`ROLLBACK TO SAVEPOINT ${name}`, `RELEASE SAVEPOINT ${name}`]);
      throw e;
    }
    return results.slice(1, -1);
  }

  /** An async read on the pool: it sees what is committed. */
  async read<R = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
    return (await this.pool.query(sql, params as unknown[])).rows as R[];
  }

  close(): void {
    this.connection.close();
    void this.pool.end().catch(() => undefined);
  }

  /** After a failure: the failure is what the caller hears, not a rollback that failed on a dead connection. */
  private undo(sql: string[]): void {
    try {
      this.connection.run(sql.map((s) => ({ sql: s })));
    } catch {
      // The connection is gone; PostgreSQL rolls the transaction back with it.
    }
  }
}
