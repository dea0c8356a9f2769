import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { SqliteDatabase } from './openDatabase.js';

/** How often the WAL is copied back into the database: at a thousand audited actions a second, a few hundred pages each time. */
export const WAL_CHECKPOINT_EVERY_MS = 1000;

const CLOSE_WAIT_MS = 3000;

// CommonJS, run with `eval`: the same source whether the server runs from dist or from its TypeScript.
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.sqlitePath);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
// As the server's connection: the WAL is synced before the copy, the database file after it.
db.pragma('synchronous = NORMAL');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (e) {
    clearInterval(timer);
    parentPort.postMessage({ failed: String(e && e.message ? e.message : e) });
  }
}, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  try {
    db.close();
  } finally {
    const closed = new Int32Array(workerData.closed);
    Atomics.store(closed, 0, 1);
    Atomics.notify(closed, 0);
    parentPort.close();
  }
});
`;

/**
 * Copies the store's WAL back into the database file off the event loop. SQLite does it by itself inside the
 * commit that takes the WAL past a thousand pages: a copy of some 4 MB and a sync of the database file, on the
 * event loop, which held every socket's messages for tens of milliseconds every few seconds under load (the
 * p99 of the live-floor bench's full preset). Here the server's connection never checkpoints
 * (`wal_autocheckpoint = 0`); a second connection, on a worker thread, runs a PASSIVE checkpoint every
 * `everyMs`, which waits for no writer and holds none up. If that connection fails, the server's own
 * connection checkpoints again as SQLite would, and a warning says why.
 */
export class WalCheckpointer {
  private readonly worker: Worker;
  /** Set to 1 by the worker once its connection is closed. */
  private readonly closed = new Int32Array(new SharedArrayBuffer(4));
  private stopped = false;

  constructor(
    private readonly db: SqliteDatabase,
    path: string,
    everyMs = WAL_CHECKPOINT_EVERY_MS,
  ) {
    db.pragma('wal_autocheckpoint = 0');
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { path, everyMs, closed: this.closed.buffer, sqlitePath: createRequire(import.meta.url).resolve('better-sqlite3') },
    });
    // It never keeps the process alive: `close` ends it, and an exiting process takes it along.
    this.worker.unref();
    this.worker.on('message', (m: { failed?: string }) => this.fallBack(m.failed ?? 'unknown failure'));
    this.worker.on('error', (e) => this.fallBack(e.message));
  }

  /**
   * Ends the worker's connection and returns once it is closed: the server's own connection, closed next, is
   * then the last and copies the WAL back one last time, and no file of the store is still open when the
   * caller goes on (a test that removes the data directory found it refilled by a worker still closing).
   */
  close(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.worker.postMessage('close');
    // A checkpoint in progress (busy_timeout 1 s) is the longest the worker can take to read the message.
    if (Atomics.wait(this.closed, 0, 0, CLOSE_WAIT_MS) === 'timed-out') {
      process.emitWarning(`the store's checkpoint thread did not close its connection within ${CLOSE_WAIT_MS} ms`);
    }
  }

  private fallBack(why: string): void {
    if (this.stopped) return;
    this.stopped = true;
    void this.worker.terminate();
    if (this.db.open) this.db.pragma('wal_autocheckpoint = 1000');
    process.emitWarning(`the store's WAL is checkpointed on the event loop again: the checkpoint thread failed (${why})`);
  }
}
