import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { StartupRefusal } from '../bootstrap/writableDirectory.js';
import type { FloorLogger } from '../live/floorPublisher.js';
import type { AuditEntry, AuditRepository } from '../store/repositories.js';
import {
  appendCheckpoint,
  appendCheckpointInBackground,
  checkAgainstCheckpoint,
  checkpointLine,
  MIN_ANCHOR_KEY_LENGTH,
  readCheckpoints,
  signCheckpoint,
  type AuditCheckpoint,
  type UnsignedCheckpoint,
} from './auditCheckpoints.js';

/**
 * Where the anchor lives by default: beside DATA_DIR, never inside it, so that a copy, backup or
 * take-over of the data directory carries neither the key nor the checkpoints. (Who can write the
 * directory above can still reach both: for a real install set AUDIT_ANCHOR_KEY from a secret store and
 * AUDIT_CHECKPOINT_FILE to a place the database's writers cannot touch.)
 */
export function anchorPlaces(dataDir: string, checkpointFile: string | null): { checkpointFile: string; keyFile: string } {
  const base = resolve(dataDir);
  return { checkpointFile: checkpointFile ? resolve(checkpointFile) : `${base}.audit-checkpoints`, keyFile: `${base}.audit-anchor-key` };
}

export type AnchorKeySource = 'AUDIT_ANCHOR_KEY' | 'key file' | 'generated';

/** The anchor key from the environment, else the key file; null when neither exists. */
export function readAnchorKey(envKey: string | null, keyFile: string): { key: string; source: AnchorKeySource } | null {
  if (envKey) return { key: envKey, source: 'AUDIT_ANCHOR_KEY' };
  if (!existsSync(keyFile)) return null;
  const key = readFileSync(keyFile, 'utf8').trim();
  if (key.length < MIN_ANCHOR_KEY_LENGTH)
    throw new StartupRefusal(`Earshot cannot start: the audit anchor key in ${keyFile} is shorter than ${MIN_ANCHOR_KEY_LENGTH} characters`);
  return { key, source: 'key file' };
}

/**
 * The key, generated into the key file on a first start without AUDIT_ANCHOR_KEY. Never generated when
 * checkpoints already exist: a new key cannot vouch for them, and a missing key is an operator's matter.
 */
function anchorKeyForStart(envKey: string | null, places: { checkpointFile: string; keyFile: string }): { key: string; source: AnchorKeySource } {
  const found = readAnchorKey(envKey, places.keyFile);
  if (found) return found;
  if (existsSync(places.checkpointFile) && statSync(places.checkpointFile).size > 0) {
    throw new StartupRefusal(
      `Earshot cannot start: the audit checkpoints in ${places.checkpointFile} need their key: set AUDIT_ANCHOR_KEY or restore ${places.keyFile}`,
    );
  }
  const key = randomBytes(32).toString('base64url');
  try {
    const fd = openSync(places.keyFile, 'wx', 0o600);
    try {
      writeSync(fd, `${key}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    throw new StartupRefusal(
      `Earshot cannot start: cannot write the audit anchor key to ${places.keyFile} (${(e as Error).message}); set AUDIT_ANCHOR_KEY instead`,
    );
  }
  return { key, source: 'generated' };
}

export interface AuditAnchorOptions {
  dataDir: string;
  envKey: string | null;
  checkpointFile: string | null;
  everyRecords: number;
  everyMs: number;
  now: () => number;
  /** Puts every commit made so far on disk (`Store.syncNow`): a checkpoint names only records a power loss cannot take. */
  syncToDisk?: () => void;
  /**
   * The same off the event loop (`Store.durable`): resolves once every commit made before the call is on
   * disk. The checkpoints taken while the server runs wait on it; those at start and at shutdown sync at once.
   */
  whenDurable?: () => Promise<void>;
}

/**
 * Anchors the audit chain's head outside the database: a signed checkpoint every `everyRecords` records or
 * `everyMs` (when the head moved), at start and at shutdown, appended to the checkpoint file and logged.
 * At start it refuses to write on top of a log that no longer reaches its last checkpoint: the new records
 * would take the missing records' numbers and the next checkpoint would anchor the cut history, so the
 * server itself would bury the evidence. An operator looks, then records the cut (`audit:accept-cut`).
 */
export class AuditAnchor {
  readonly checkpointFile: string;
  readonly keyFile: string;
  readonly keySource: AnchorKeySource;
  private readonly key: string;
  private last: AuditCheckpoint | null = null;
  private sinceLast = 0;
  private scheduled = false;
  private timer: NodeJS.Timeout | null = null;
  private log: FloorLogger | null = null;
  /** The checkpoint being written in the background, and whether another was asked for meanwhile. */
  private writing: Promise<void> | null = null;
  private askedAgain = false;
  private closed = false;

  constructor(
    private readonly repo: AuditRepository,
    private readonly options: AuditAnchorOptions,
  ) {
    const places = anchorPlaces(options.dataDir, options.checkpointFile);
    this.checkpointFile = places.checkpointFile;
    this.keyFile = places.keyFile;
    const { key, source } = anchorKeyForStart(options.envKey, places);
    this.key = key;
    this.keySource = source;
  }

  /** Checks the log against the last checkpoint, before anything is written: refuses to start on a cut. */
  check(): void {
    const read = readCheckpoints(this.checkpointFile, this.key);
    if (read.problems.length > 0) {
      throw new StartupRefusal(
        `Earshot cannot start: the audit checkpoint file ${this.checkpointFile} does not hold (${read.problems.join('; ')}); run audit:verify`,
      );
    }
    const last = read.checkpoints.at(-1) ?? null;
    const head = this.repo.head();
    if (!last && head.id > 0) {
      throw new StartupRefusal(
        `Earshot cannot start: the audit log holds ${head.id} records but ${this.checkpointFile} holds no checkpoint (removed, or written before anchoring); ` +
          'run audit:verify, then audit:accept-cut to anchor the log as it is',
      );
    }
    if (last) {
      const verdict = checkAgainstCheckpoint({ id: head.id, hashAt: (id) => this.repo.hashAt(id) }, last);
      if (!verdict.ok) {
        throw new StartupRefusal(
          `Earshot cannot start: audit log cut, ${verdict.message} (${this.checkpointFile}); refusing to write on top of it. ` +
            'Run audit:verify, then audit:accept-cut to record the gap and start',
        );
      }
    }
    this.last = last;
  }

  /** Anchors the head as found (a kill -9 leaves records after the last checkpoint) and starts the timer. */
  start(log: FloorLogger): void {
    this.log = log;
    try {
      this.writeCheckpoint();
    } catch (e) {
      throw new StartupRefusal(`Earshot cannot start: cannot append to the audit checkpoint file ${this.checkpointFile} (${(e as Error).message})`);
    }
    if (this.options.everyMs > 0) {
      this.timer = setInterval(() => this.checkpointInBackground(), this.options.everyMs);
      this.timer.unref();
    }
  }

  /** The repository the audit log writes through: each append counts towards the next checkpoint. */
  watching(repo: AuditRepository): AuditRepository {
    return {
      append: (entry: AuditEntry) => {
        const record = repo.append(entry);
        this.appended();
        return record;
      },
      query: (q) => repo.query(q),
      scan: () => repo.scan(),
      head: () => repo.head(),
      hashAt: (id) => repo.hashAt(id),
    };
  }

  /** The last checkpoint and the final one: at shutdown, after the last audit record (and after one being written, so the file stays in order). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.writing;
    this.checkpoint();
  }

  private appended(): void {
    this.sinceLast += 1;
    if (this.sinceLast < this.options.everyRecords || this.scheduled) return;
    this.scheduled = true;
    // On the next turn, outside any transaction the append ran in: a checkpoint names only what is committed.
    setImmediate(() => {
      this.scheduled = false;
      this.checkpointInBackground();
    });
  }

  /**
   * A checkpoint while the server runs: the head as committed now, signed once the store has it on disk,
   * appended and synced on the thread pool. Every `everyRecords` records an event loop that synced the WAL
   * and the checkpoint file itself held every socket's messages for the length of two syncs. One at a time,
   * so that the file's checkpoints stay in the chain's order.
   */
  private checkpointInBackground(): void {
    if (!this.options.whenDurable) return this.checkpoint();
    if (this.writing) {
      this.askedAgain = true;
      return;
    }
    this.writing = this.writeCheckpointInBackground(this.options.whenDurable)
      .catch((e: unknown) => this.log?.error(e, `audit checkpoint not written to ${this.checkpointFile}`))
      .finally(() => {
        this.writing = null;
        if (!this.askedAgain || this.closed) return;
        this.askedAgain = false;
        this.checkpointInBackground();
      });
  }

  private async writeCheckpointInBackground(whenDurable: () => Promise<void>): Promise<void> {
    const head = this.repo.head();
    if (this.last && this.last.recordId >= head.id) return;
    await whenDurable();
    if (this.closed) return;
    const signed = this.signed(head);
    this.sinceLast = 0;
    await appendCheckpointInBackground(this.checkpointFile, signed);
    this.written(signed);
  }

  /** Signs the head as it is now, unless the last checkpoint already names it. Never throws: the log says. */
  checkpoint(): void {
    try {
      this.writeCheckpoint();
    } catch (e) {
      this.log?.error(e, `audit checkpoint not written to ${this.checkpointFile}`);
    }
  }

  private writeCheckpoint(): void {
    this.options.syncToDisk?.();
    const head = this.repo.head();
    if (this.last && this.last.recordId === head.id && this.last.hash === head.hash) return;
    const signed = this.signed(head);
    appendCheckpoint(this.checkpointFile, signed);
    this.sinceLast = 0;
    this.written(signed);
  }

  /** The signed checkpoint of `head`, as of now. */
  private signed(head: { id: number; hash: string }): AuditCheckpoint {
    const unsigned: UnsignedCheckpoint = { kind: 'checkpoint', recordId: head.id, hash: head.hash, at: this.options.now(), missing: null };
    return signCheckpoint(this.key, unsigned);
  }

  /** A checkpoint is in the file: the next is measured from it, and the log shows it. */
  private written(signed: AuditCheckpoint): void {
    this.last = signed;
    this.log?.info(`audit checkpoint ${checkpointLine(signed)}`);
  }
}
