import { closeSync, existsSync, fdatasync, fdatasyncSync, openSync } from 'node:fs';

/**
 * Puts the store's commits on disk off the event loop, several commits to one sync (group commit).
 *
 * The database runs in WAL mode with `synchronous = NORMAL`: a commit is in the WAL (the operating system
 * holds it; a killed process loses nothing) but not synced. `durable()` syncs the WAL file on libuv's thread
 * pool and resolves once every commit made before the call is on disk; the request pipeline awaits it before
 * an audited action is acknowledged. Calls made while a sync runs share the next one. With `synchronous =
 * FULL` each commit was synced inside the commit, on the event loop, where a sync (0.4 ms typical, several
 * ms in the tail on this kind of disk) held every other socket's messages.
 *
 * A sync that fails leaves this store unable to promise anything again (the kernel may have dropped the
 * pages it could not write, and a later sync would succeed without them): every later `durable()` rejects.
 */
export class WalSync {
  /** Writes announced so far (`written`), and how many of them a finished sync covers (`synced`). */
  private written = 0;
  private synced = 0;
  private running = false;
  private scheduled = false;
  private closed = false;
  private failure: Error | null = null;
  private waiters: { upTo: number; resolve: () => void; reject: (e: Error) => void }[] = [];

  private constructor(private fd: number | null) {}

  /** For the database file `dbPath` (`:memory:` or a file without a WAL: nothing to sync, everything resolves at once). */
  static of(dbPath: string): WalSync {
    const wal = `${dbPath}-wal`;
    return new WalSync(dbPath !== ':memory:' && dbPath !== '' && existsSync(wal) ? openSync(wal, 'r') : null);
  }

  /**
   * A commit was made or is being made in this turn (a transaction, an audit record): synced on a later
   * turn of the event loop unless a `durable()` has asked for it by then, so that a write nobody waits on
   * reaches the disk within one sync as well.
   */
  wrote(): void {
    this.written += 1;
    if (this.scheduled || this.fd === null) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.synced < this.written) this.pump();
    });
  }

  /** Resolves once every commit made before this call is on disk. */
  durable(): Promise<void> {
    if (this.fd === null) return Promise.resolve();
    if (this.failure) return Promise.reject(this.failure);
    this.written += 1;
    const upTo = this.written;
    return new Promise((resolve, reject) => {
      this.waiters.push({ upTo, resolve, reject });
      this.pump();
    });
  }

  /** Syncs now, on the event loop (the audit anchor, before it signs the head: it must name only what is on disk). */
  syncNow(): void {
    if (this.fd === null) return;
    if (this.failure) throw this.failure;
    const upTo = this.written;
    try {
      fdatasyncSync(this.fd);
    } catch (e) {
      this.fail(e as Error);
      throw e;
    }
    this.synced = Math.max(this.synced, upTo);
  }

  /** After the database closed (its close checkpoints and syncs the database file itself). */
  close(): void {
    this.closed = true;
    if (!this.running) this.release();
  }

  private pump(): void {
    if (this.running || this.fd === null || this.failure) return;
    const upTo = this.written;
    this.running = true;
    fdatasync(this.fd, (err) => {
      this.running = false;
      if (err) return this.fail(err);
      this.synced = Math.max(this.synced, upTo);
      const waiting = this.waiters;
      this.waiters = [];
      for (const w of waiting) {
        if (w.upTo <= upTo) w.resolve();
        else this.waiters.push(w);
      }
      if (this.closed) return this.release();
      if (this.waiters.length > 0 || this.synced < this.written) this.pump();
    });
  }

  private fail(err: Error): void {
    this.failure = err;
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w.reject(err);
  }

  private release(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    const waiting = this.waiters;
    this.waiters = [];
    // Closed with the database: its close has checkpointed the WAL into the database file and synced it.
    for (const w of waiting) w.resolve();
    closeSync(fd);
  }
}
