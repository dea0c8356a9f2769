import { createRequire } from 'node:module';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';

/** One statement: SQL with `$n` parameters. */
export interface Statement {
  sql: string;
  params?: readonly unknown[];
}

export interface StatementResult {
  rows: Record<string, unknown>[];
  rowCount: number;
  /** The command tag PostgreSQL answered with (a COMMIT of a failed transaction answers ROLLBACK). */
  command: string;
}

/** An error PostgreSQL answered with (or the connection's), carried back from the connection's thread. */
export class PostgresError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly constraint: string | undefined,
  ) {
    super(message);
    this.name = 'PostgresError';
  }
}

/** How long the event loop waits for one batch before it gives the connection up as dead. */
const ANSWER_TIMEOUT_MS = 60_000;

/**
 * The connection's thread. Plain JavaScript evaluated as the worker's source, so that it runs the same from
 * the TypeScript sources (tests) and from the build; it requires `pg` by the path the main thread resolved.
 */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const pg = require(workerData.pgPath);
const { port, state, connectionString, setup } = workerData;
const int8 = (v) => (v === null ? null : Number(v));
const int4Array = pg.types.getTypeParser(1007, 'text');
const types = { getTypeParser: (oid, format) => (oid === 20 ? int8 : oid === 1016 ? int4Array : pg.types.getTypeParser(oid, format)) };
let client = null;
let broken = null;
function answer(res) {
  port.postMessage(res);
  Atomics.store(state, 0, 1);
  Atomics.notify(state, 0);
}
async function connect() {
  const c = new pg.Client({ connectionString, types });
  c.on('error', (e) => { if (client === c) broken = e; });
  await c.connect();
  for (const sql of setup) await c.query(sql);
  client = c;
  broken = null;
}
port.on('message', async (req) => {
  try {
    if (req.op === 'connect') {
      await connect();
      answer({ ok: true, results: [] });
    } else if (req.op === 'run') {
      if (broken) {
        // A lost connection took its transaction with it: only a batch that starts afresh may go on a new one.
        if (!req.fresh) throw broken;
        const old = client;
        client = null;
        old.end().catch(() => undefined);
        await connect();
      }
      const results = [];
      for (const s of req.steps) {
        const r = await client.query(s.sql, s.params);
        results.push({ rows: r.rows ?? [], rowCount: r.rowCount ?? 0, command: r.command ?? '' });
      }
      answer({ ok: true, results });
    } else if (req.op === 'end') {
      const c = client;
      client = null;
      answer({ ok: true, results: [] });
      if (c) await c.end().catch(() => undefined);
      port.close();
    }
  } catch (e) {
    // No SQLSTATE: the connection itself failed (closed, reset); the next fresh batch opens another.
    if (client && !(e && e.code) && req.op === 'run') broken = e;
    answer({ ok: false, error: { message: String(e && e.message ? e.message : e), code: e && e.code, constraint: e && e.constraint } });
  }
});
`;

type Answer = { ok: true; results: StatementResult[] } | { ok: false; error: { message: string; code?: string; constraint?: string } };

/**
 * A PostgreSQL connection the event loop uses synchronously: the writes an action makes and its audit record
 * are one transaction in one turn of the event loop (see `Store`), as they are on SQLite. A worker thread
 * owns a `pg` client; each call posts its statements to it and waits on a shared word (Atomics.wait) until
 * the answer is posted back, then takes it off the port. The event loop stands still meanwhile, for one
 * round trip to the database (and, at a commit, the database's flush): what SQLite's fsync costs it too.
 */
export class SyncConnection {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly state = new Int32Array(new SharedArrayBuffer(4));
  private closed = false;

  /** Connects at once (throws when it cannot), then runs each of `setup` on the new connection. */
  constructor(connectionString: string, setup: readonly string[] = []) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const pgPath = createRequire(import.meta.url).resolve('pg');
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { port: port2, state: this.state, connectionString, setup, pgPath },
      transferList: [port2],
    });
    // Neither keeps the process alive: `close` ends them, and an exiting process takes them along.
    this.worker.unref();
    this.port.unref();
    try {
      this.call({ op: 'connect' });
    } catch (e) {
      this.closed = true;
      void this.worker.terminate();
      throw e;
    }
  }

  /**
   * Runs the statements in order, stopping at the first that fails (which throws `PostgresError`). `fresh`:
   * no transaction is open before them, so a lost connection may be replaced first (PostgreSQL restarted).
   */
  run(steps: readonly Statement[], fresh = false): StatementResult[] {
    if (this.closed) throw new PostgresError('the store is closed', undefined, undefined);
    return this.call({ op: 'run', steps, fresh });
  }

  close(): void {
    if (this.closed) return;
    try {
      this.call({ op: 'end' });
    } catch {
      // Closing anyway: the thread goes below.
    }
    this.closed = true;
    void this.worker.terminate();
  }

  private call(req: unknown): StatementResult[] {
    Atomics.store(this.state, 0, 0);
    this.port.postMessage(req);
    if (Atomics.wait(this.state, 0, 0, ANSWER_TIMEOUT_MS) === 'timed-out') {
      // The thread is stuck or gone: nothing more can be trusted from this connection.
      this.closed = true;
      void this.worker.terminate();
      throw new PostgresError(`no answer from PostgreSQL in ${ANSWER_TIMEOUT_MS / 1000} s`, undefined, undefined);
    }
    const received = receiveMessageOnPort(this.port);
    if (!received) throw new PostgresError('the PostgreSQL connection thread answered nothing', undefined, undefined);
    const answer = received.message as Answer;
    if (!answer.ok) throw new PostgresError(answer.error.message, answer.error.code, answer.error.constraint);
    return answer.results;
  }
}
