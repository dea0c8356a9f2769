import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { anchorPlaces, readAnchorKey } from './audit/auditAnchor.js';
import { appendCheckpoint, checkAgainstCheckpoint, checkpointLine, readCheckpoints, signCheckpoint, type AuditCheckpoint } from './audit/auditCheckpoints.js';
import { StartupRefusal } from './bootstrap/writableDirectory.js';
import { ConfigError, loadConfig } from './config.js';
import type { AuditRepository, Store } from './store/repositories.js';
import { PostgresDatabase } from './store/postgres/postgresDatabase.js';
import { createPostgresStore, shownDatabaseUrl } from './store/postgres/postgresStore.js';
import { DATABASE_FILE } from './store/openDatabase.js';
import { createSqliteStore } from './store/sqliteStore.js';
import { verifyAuditChain } from './store/auditChain.js';

const iso = (at: number) => new Date(at).toISOString();

interface Anchor {
  checkpointFile: string;
  key: string;
}

/** The store (DATABASE_URL's PostgreSQL, else the SQLite file under `dataDir`), read as it is: never migrated. */
function openStore(dataDir: string, databaseUrl: string | null, readonly: boolean): Store | string {
  if (databaseUrl !== null) {
    let db: PostgresDatabase;
    try {
      db = new PostgresDatabase(databaseUrl);
    } catch (e) {
      return `Cannot reach the store at ${shownDatabaseUrl(databaseUrl)}: ${(e as Error).message}`;
    }
    if (db.query("SELECT to_regclass('audit') IS NULL AS missing").rows[0]!.missing) {
      db.close();
      return `No store at ${shownDatabaseUrl(databaseUrl)}`;
    }
    return createPostgresStore(db);
  }
  const file = join(dataDir, DATABASE_FILE);
  if (!existsSync(file)) return `No store at ${file}`;
  return createSqliteStore(new Database(file, { readonly, fileMustExist: true }));
}

/**
 * The store and the anchor's key and file, as the server under `dataDir` would find them. With DATABASE_URL
 * the chain is the PostgreSQL one every node shares, and the anchor is this node's, beside its DATA_DIR.
 */
function open(dataDir: string, readonly: boolean): { audit: AuditRepository; close(): void; anchor: Anchor | string } | string {
  const config = loadConfig({ ...process.env, DATA_DIR: dataDir });
  const store = openStore(dataDir, config.databaseUrl, readonly);
  if (typeof store === 'string') return store;
  const places = anchorPlaces(dataDir, config.auditCheckpointFile);
  let anchor: Anchor | string;
  try {
    const key = readAnchorKey(config.auditAnchorKey, places.keyFile);
    anchor = key ? { checkpointFile: places.checkpointFile, key: key.key } : `no anchor key: set AUDIT_ANCHOR_KEY, or put the key file at ${places.keyFile}`;
  } catch (e) {
    if (!(e instanceof StartupRefusal)) throw e;
    anchor = e.message;
  }
  return { audit: store.audit, close: () => store.close(), anchor };
}

/**
 * `audit:verify [dataDir]`: the hash chain from its first record to its head, then the head against the last
 * signed checkpoint outside the database (records cut from the end, or the log rewritten up to it).
 * Exit 0 "intact", 1 naming what is broken or missing, 2 when it cannot check.
 */
function auditVerify(dataDir: string): number {
  const opened = open(dataDir, true);
  if (typeof opened === 'string') {
    console.error(opened);
    return 2;
  }
  try {
    const verdict = verifyAuditChain(opened.audit.scan());
    if (!verdict.intact) {
      console.log(`audit log BROKEN at record ${verdict.brokenAt}: ${verdict.reason} (${verdict.count} records verified before it)`);
      return 1;
    }
    const { anchor } = opened;
    if (typeof anchor === 'string') {
      console.error(`audit log chain holds (${verdict.count} records), but its anchor cannot be checked: ${anchor}`);
      return 2;
    }
    const read = readCheckpoints(anchor.checkpointFile, anchor.key);
    if (read.problems.length > 0) {
      console.log(`audit log BROKEN: the checkpoint file ${anchor.checkpointFile} does not hold: ${read.problems.join('; ')}`);
      return 1;
    }
    const last = read.checkpoints.at(-1);
    if (!last) {
      if (verdict.count === 0) {
        console.log('audit log intact: 0 records');
        return 0;
      }
      console.log(
        `audit log BROKEN: ${verdict.count} records, but no checkpoint in ${anchor.checkpointFile}: nothing anchors the newest records (the checkpoint file was removed?)`,
      );
      return 1;
    }
    const head = opened.audit.head();
    const anchored = checkAgainstCheckpoint({ id: head.id, hashAt: (id) => opened.audit.hashAt(id) }, last);
    if (!anchored.ok) {
      console.log(`audit log BROKEN: ${anchored.message} (checkpoint of ${iso(last.at)} in ${anchor.checkpointFile})`);
      return 1;
    }
    const lines = [
      `audit log intact: ${verdict.count} records, head ${verdict.head.slice(0, 16)}; reaches the last checkpoint (record ${last.recordId}, ${iso(last.at)}) in ${anchor.checkpointFile}`,
    ];
    if (head.id > last.recordId)
      lines.push(`  ${head.id - last.recordId} records after the last checkpoint (written after it, or before a crash): not anchored yet`);
    for (const c of read.checkpoints.filter((x) => x.kind === 'accepted')) lines.push(`  accepted cut: ${describeAccepted(c)}`);
    if (read.tornTail) lines.push('  the checkpoint file ends in a line cut short (a crash while appending): ignored');
    console.log(lines.join('\n'));
    return 0;
  } finally {
    opened.close();
  }
}

function describeAccepted(c: AuditCheckpoint): string {
  const gap = c.missing ? `records ${c.missing.from}\u2013${c.missing.to} were missing` : 'the log did not match a checkpoint (rewritten, or none was kept)';
  return `${gap}; accepted ${iso(c.at)} with the log ending at record ${c.recordId}`;
}

/**
 * `audit:accept-cut [dataDir]`: after an operator has looked at a cut (or a log that has no checkpoint yet),
 * appends a signed `accepted` checkpoint naming the head as it is and the records that are gone, so the
 * server starts again and the gap stays on record for every later audit:verify.
 */
function acceptCut(dataDir: string): number {
  const opened = open(dataDir, true);
  if (typeof opened === 'string') {
    console.error(opened);
    return 2;
  }
  try {
    const { anchor } = opened;
    if (typeof anchor === 'string') {
      console.error(anchor);
      return 2;
    }
    const read = readCheckpoints(anchor.checkpointFile, anchor.key);
    if (read.problems.length > 0) {
      console.error(
        `the checkpoint file ${anchor.checkpointFile} holds lines this key did not sign (${read.problems.join('; ')}): move it aside as evidence, then run this again`,
      );
      return 1;
    }
    const last = read.checkpoints.at(-1);
    const head = opened.audit.head();
    const verdict = last ? checkAgainstCheckpoint({ id: head.id, hashAt: (id) => opened.audit.hashAt(id) }, last) : null;
    if (verdict?.ok || (!last && head.id === 0)) {
      console.log('nothing to accept: the audit log reaches its last checkpoint');
      return 0;
    }
    const missing = verdict && !verdict.ok && verdict.kind === 'cut' ? { from: verdict.from, to: verdict.to } : null;
    const accepted = signCheckpoint(anchor.key, { kind: 'accepted', recordId: head.id, hash: head.hash, at: Date.now(), missing });
    appendCheckpoint(anchor.checkpointFile, accepted);
    console.log(`accepted: ${describeAccepted(accepted)}`);
    console.log(checkpointLine(accepted));
    return 0;
  } finally {
    opened.close();
  }
}

const [command, dir] = process.argv.slice(2);
const commands: Record<string, (dataDir: string) => number> = { 'audit:verify': auditVerify, 'audit:accept-cut': acceptCut };
const run = command === undefined ? undefined : commands[command];
if (!run) {
  console.error('usage: cli.js audit:verify|audit:accept-cut [dataDir]');
  process.exitCode = 2;
} else {
  try {
    process.exitCode = run(dir ?? loadConfig().dataDir);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    console.error(e.message);
    process.exitCode = 2;
  }
}
