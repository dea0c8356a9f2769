import pg from 'pg';
import { PostgresError, type Statement, type StatementResult, SyncConnection } from './syncConnection.js';

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
interface Frame {
  /** Its BEGIN or SAVEPOINT has gone to the database (with the first statement inside it). */
  sent: boolean;
}

/**
 * One PostgreSQL store's two ways in: the synchronous connection, for every write and for the reads the
 * interfaces answer synchronously (they run in the writers' transactions), and a pool for the async reads.
 *
 * Each round trip on the synchronous connection holds the event loop, so statements whose answer nothing
 * waits for ride along with the next one: a transaction's BEGIN or SAVEPOINT goes with its first statement,
 * a savepoint's RELEASE (or its ROLLBACK TO after a failure) with whatever follows, and COMMIT drops the
 * RELEASEs it makes needless.
 */
export class PostgresDatabase {
  readonly pool: pg.Pool;
  private readonly connection: SyncConnection;
  private readonly frames: Frame[] = [];
  /** Statements not sent yet: they go first in the next round trip. */
  private pending: Statement[] = [];

  constructor(readonly url: string) {
    this.connection = new SyncConnection(url, SYNC_SETUP);
    this.pool = new pg.Pool({ connectionString: url, types: NUMBER_TYPES, max: 4 });
    // An idle pooled client whose connection drops: the pool replaces it at the next query.
    this.pool.on('error', () => undefined);
  }

  get inTransaction(): boolean {
    return this.frames.length > 0;
  }

  /** Runs the statements in one round trip (inside the current transaction, if any). */
  run(steps: readonly Statement[]): StatementResult[] {
    // Nothing of a transaction has reached the database yet: a lost connection may be replaced first.
    const fresh = this.frames.every((f) => !f.sent);
    if (this.pending.length === 0) return this.connection.run(steps, fresh);
    const before = this.pending;
    this.pending = [];
    for (const f of this.frames) f.sent = true;
    return this.connection.run([...before, ...steps], fresh).slice(before.length);
  }

  query<R = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): { rows: R[]; rowCount: number } {
    return this.run([{ sql, params }])[0] as { rows: R[]; rowCount: number };
  }

  /**
   * A write whose answer nobody reads, sent with the transaction's next statement or its COMMIT (so a
   * failure surfaces there). Only inside a transaction.
   */
  defer(step: Statement): void {
    if (!this.inTransaction) throw new Error('defer outside a transaction');
    this.pending.push(step);
    // Whatever opened the transaction goes with it now: the transaction is no longer empty.
    for (const f of this.frames) f.sent = true;
  }

  /**
   * Runs `work` in one transaction: the outermost is BEGIN … COMMIT, a nested one a savepoint. A
   * transaction that ran no statement costs no round trip.
   */
  transaction<T>(work: () => T): T {
    const depth = this.frames.length;
    const name = `s${depth}`;
    const frame: Frame = { sent: false };
    const mark = this.pending.length;
    this.pending.push({ sql: depth === 0 ? 'BEGIN' : `SAVEPOINT ${name}` });
    this.frames.push(frame);
    let out: T;
    try {
      out = work();
    } catch (e) {
      this.frames.pop();
      if (!frame.sent) this.pending.length = mark;
      else if (depth === 0) this.end('ROLLBACK');
      else this.pending = [{ sql: `ROLLBACK TO SAVEPOINT ${name}` }, { sql: `RELEASE SAVEPOINT ${name}` }];
      throw e;
    }
    this.frames.pop();
    if (!frame.sent) {
      this.pending.length = mark;
      return out;
    }
    if (depth > 0) {
      this.pending.push({ sql: `RELEASE SAVEPOINT ${name}` });
      return out;
    }
    // The RELEASEs waiting are dropped (COMMIT releases every savepoint); the deferred writes go with it.
    const last = this.pending.filter((s) => !s.sql.startsWith('RELEASE SAVEPOINT'));
    this.pending = [];
    try {
      const committed = this.connection.run([...last, { sql: 'COMMIT' }]).at(-1)!;
      // PostgreSQL ends a transaction in which a statement failed with a ROLLBACK, even when told COMMIT.
      if (committed.command !== 'COMMIT')
        throw new PostgresError(`the transaction was rolled back (${committed.command}): a statement in it had failed`, undefined, undefined);
    } catch (e) {
      // A statement before COMMIT failed, so the transaction is still open (aborted): end it.
      this.end('ROLLBACK');
      throw e;
    }
    return out;
  }

  /**
   * The statements as one unit inside the current transaction, so that a failing one (a constraint) leaves
   * the transaction usable, as a failed statement leaves SQLite's: a savepoint around them. Outside a
   * transaction they run as one.
   */
  guarded(steps: readonly Statement[]): StatementResult[] {
    if (!this.inTransaction) return steps.length === 1 ? this.run(steps) : this.transaction(() => this.run(steps));
    const name = `g${this.frames.length}`;
    let results: StatementResult[];
    try {
      results = this.run([{ sql: `SAVEPOINT ${name}` }, ...steps]);
    } catch (e) {
      this.pending = [{ sql: `ROLLBACK TO SAVEPOINT ${name}` }, { sql: `RELEASE SAVEPOINT ${name}` }];
      throw e;
    }
    this.pending.push({ sql: `RELEASE SAVEPOINT ${name}` });
    return results.slice(1);
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
  private end(sql: string): void {
    this.pending = [];
    try {
      this.connection.run([{ sql }]);
    } catch {
      // The connection is gone; PostgreSQL rolls the transaction back with it.
    }
  }
}
