import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';

/**
 * A signed statement of the audit chain's head, kept outside the database: "the log held record `recordId`,
 * whose hash was `hash`". The chain's own hashes carry no key, so someone who can write the database can
 * cut its newest records, or rewrite them and every hash after, and the chain still verifies; a checkpoint
 * they cannot sign shows both. `accepted` records that an operator looked at a cut and let the server
 * write on top of it: the gap stays on record.
 */
export interface AuditCheckpoint {
  kind: 'checkpoint' | 'accepted';
  recordId: number;
  hash: string;
  at: number;
  /** For `accepted`: the records that were gone when the cut was accepted. */
  missing: { from: number; to: number } | null;
  /** Which key signed it (a hash of the key, never the key), so a verifier with another key says so. */
  keyId: string;
  mac: string;
}

export type UnsignedCheckpoint = Omit<AuditCheckpoint, 'keyId' | 'mac'>;

export const MIN_ANCHOR_KEY_LENGTH = 32;

export function anchorKeyId(key: string): string {
  return createHash('sha256').update('earshot-audit-anchor-key').update(key).digest('hex').slice(0, 12);
}

function macOf(key: string, c: UnsignedCheckpoint): string {
  const canonical = JSON.stringify(['earshot-audit-checkpoint/1', c.kind, c.recordId, c.hash, c.at, c.missing?.from ?? null, c.missing?.to ?? null]);
  return createHmac('sha256', key).update(canonical).digest('hex');
}

export function signCheckpoint(key: string, c: UnsignedCheckpoint): AuditCheckpoint {
  return { kind: c.kind, recordId: c.recordId, hash: c.hash, at: c.at, missing: c.missing, keyId: anchorKeyId(key), mac: macOf(key, c) };
}

/** The line as written to the checkpoint file and to the log. */
export function checkpointLine(c: AuditCheckpoint): string {
  return JSON.stringify(c);
}

/**
 * Appends one line and syncs it: a checkpoint that a crash could lose would be no anchor. `O_APPEND`, so
 * the file only grows (an operator can make it append-only for good: `chattr +a`).
 */
export function appendCheckpoint(file: string, c: AuditCheckpoint): void {
  const fd = openSync(file, 'a', 0o600);
  try {
    writeSync(fd, `${checkpointLine(c)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** `appendCheckpoint` on libuv's thread pool: the write and its sync leave the event loop free meanwhile. */
export async function appendCheckpointInBackground(file: string, c: AuditCheckpoint): Promise<void> {
  const fh = await open(file, 'a', 0o600);
  try {
    await fh.write(`${checkpointLine(c)}\n`);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export interface CheckpointFile {
  /** Every well-formed line whose signature holds, in file order. */
  checkpoints: AuditCheckpoint[];
  /** Lines that are not checkpoints signed by this key, as "line N: why". */
  problems: string[];
  /** A last line cut short (a crash while appending): ignored, and said. */
  tornTail: boolean;
}

function parseLine(text: string): AuditCheckpoint | null {
  try {
    const c = JSON.parse(text) as Partial<AuditCheckpoint>;
    if ((c.kind !== 'checkpoint' && c.kind !== 'accepted') || !Number.isInteger(c.recordId) || c.recordId! < 0) return null;
    if (typeof c.hash !== 'string' || !Number.isFinite(c.at) || typeof c.keyId !== 'string' || typeof c.mac !== 'string') return null;
    const missing = c.missing ?? null;
    if (missing !== null && !(Number.isInteger(missing.from) && Number.isInteger(missing.to))) return null;
    return { kind: c.kind, recordId: c.recordId!, hash: c.hash, at: c.at!, missing, keyId: c.keyId, mac: c.mac };
  } catch {
    return null;
  }
}

function sameMac(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

/** Reads the checkpoint file (absent: none) and checks every line's signature with `key`. */
export function readCheckpoints(file: string, key: string): CheckpointFile {
  if (!existsSync(file)) return { checkpoints: [], problems: [], tornTail: false };
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const tornTail = !text.endsWith('\n') && lines[lines.length - 1] !== '';
  const keyId = anchorKeyId(key);
  const checkpoints: AuditCheckpoint[] = [];
  const problems: string[] = [];
  lines.forEach((line, i) => {
    if (line === '' || (tornTail && i === lines.length - 1)) return;
    const c = parseLine(line);
    if (!c) problems.push(`line ${i + 1}: not a checkpoint`);
    else if (c.keyId !== keyId) problems.push(`line ${i + 1}: signed with another key (${c.keyId}, this one is ${keyId})`);
    else if (!sameMac(c.mac, macOf(key, c))) problems.push(`line ${i + 1}: its signature does not hold (forged or altered)`);
    else checkpoints.push(c);
  });
  return { checkpoints, problems, tornTail };
}

/** What the store holds, as far as a checkpoint asks. */
export interface ChainHead {
  /** 0 for an empty log. */
  id: number;
  hashAt(id: number): string | null;
}

export type AnchorVerdict =
  | { ok: true }
  | { ok: false; kind: 'cut'; from: number; to: number; message: string }
  | { ok: false; kind: 'rewritten'; message: string };

/**
 * Does the log still reach the checkpoint? Either it holds the checkpoint's record with the same hash (and
 * perhaps more after it), or records were cut from its end, or it was rewritten up to that record.
 */
export function checkAgainstCheckpoint(head: ChainHead, last: AuditCheckpoint): AnchorVerdict {
  if (last.recordId === 0) return { ok: true };
  if (head.id < last.recordId) {
    const from = head.id + 1;
    const ends = head.id === 0 ? 'the log is empty' : `the log ends at record ${head.id}`;
    const range = from === last.recordId ? `record ${from} missing` : `records ${from}\u2013${last.recordId} missing`;
    return {
      ok: false,
      kind: 'cut',
      from,
      to: last.recordId,
      message: `${range} (${last.recordId - head.id} records): the last checkpoint names record ${last.recordId}, ${ends}`,
    };
  }
  if (head.hashAt(last.recordId) !== last.hash) {
    return {
      ok: false,
      kind: 'rewritten',
      message: `record ${last.recordId} is not the one the last checkpoint names: the log was rewritten at or before record ${last.recordId}`,
    };
  }
  return { ok: true };
}
