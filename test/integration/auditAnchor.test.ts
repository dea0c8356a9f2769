import { execFile } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StartupRefusal } from '../../server/src/app.js';
import { auditHash } from '../../server/src/store/auditChain.js';
import { type AuditRow, auditRecordFromRow } from '../../server/src/store/auditRows.js';
import { DATABASE_FILE } from '../../server/src/store/openDatabase.js';
import { closeAllSockets, connectAs, ok, startTestServer } from '../support/harness.js';
import { until } from '../support/floor.js';

const run = promisify(execFile);
const CLI = join(import.meta.dirname, '../../server/dist/cli.js');

let root: string;
let dir: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'earshot-anchor-'));
  dir = join(root, 'data');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

async function cli(command: string): Promise<{ code: number; stdout: string; stderr: string }> {
  // The key is found where the server left it (beside the data directory), not in the environment.
  const env = { ...process.env, AUDIT_ANCHOR_KEY: '', AUDIT_CHECKPOINT_FILE: '' };
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, command, dir], { env });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** A server on `dir` that writes some audit records, stopped cleanly; returns the log's last record id. */
async function runAndStop(profiles = 10): Promise<number> {
  const server = await startTestServer({ dataDir: dir });
  const { socket: admin } = await connectAs(server.url, 'admin');
  for (let i = 0; i < profiles; i++)
    await ok(admin, 'profiles:create', { name: `Audited ${i}-${Date.now() % 100000}`, rights: ['phoneState.view'], scope: 'own' });
  const head = server.store.audit.head().id;
  closeAllSockets();
  await server.close();
  return head;
}

function sql(statement: string, ...params: unknown[]): void {
  const db = new Database(join(dir, DATABASE_FILE));
  db.prepare(statement).run(...params);
  db.close();
}

async function refusalOfStart(): Promise<string> {
  try {
    const server = await startTestServer({ dataDir: dir });
    await server.close();
  } catch (e) {
    expect(e).toBeInstanceOf(StartupRefusal);
    return (e as Error).message;
  }
  throw new Error('the server started');
}

describe('the audit chain anchored outside the database', () => {
  it('the newest 5 records deleted while stopped: audit:verify exits 1 naming the gap, and the server refuses to write on top of it', async () => {
    const head = await runAndStop(99);
    expect(head).toBeGreaterThanOrEqual(100);
    expect(existsSync(join(root, 'data.audit-anchor-key'))).toBe(true);
    expect((await cli('audit:verify')).code).toBe(0);

    sql('DELETE FROM audit WHERE id > ?', head - 5);
    const cut = await cli('audit:verify');
    expect(cut.code).toBe(1);
    expect(cut.stdout).toContain(
      `audit log BROKEN: records ${head - 4}\u2013${head} missing (5 records): the last checkpoint names record ${head}, the log ends at record ${head - 5}`,
    );
    expect(await refusalOfStart()).toContain(
      `Earshot cannot start: audit log cut, records ${head - 4}\u2013${head} missing (5 records): the last checkpoint names record ${head}`,
    );
    // Refused before writing a thing: the cut is as it was.
    expect((await cli('audit:verify')).stdout).toBe(cut.stdout);
  });

  it('every record deleted: the same, and an operator\u2019s accept-cut records the gap for good and lets the server start', async () => {
    const head = await runAndStop();
    sql('DELETE FROM audit');
    const empty = await cli('audit:verify');
    expect(empty.code).toBe(1);
    expect(empty.stdout).toContain(
      `audit log BROKEN: records 1\u2013${head} missing (${head} records): the last checkpoint names record ${head}, the log is empty`,
    );
    expect(await refusalOfStart()).toContain(`records 1\u2013${head} missing`);

    const accepted = await cli('audit:accept-cut');
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toContain(`accepted: records 1\u2013${head} were missing; accepted`);
    const after = await runAndStop(2);
    expect(after).toBeGreaterThan(0);
    const verified = await cli('audit:verify');
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain(`audit log intact: ${after} records`);
    expect(verified.stdout).toContain(`accepted cut: records 1\u2013${head} were missing`);
  });

  it('a log rewritten with fresh hashes still chains, but no longer reaches its checkpoint', async () => {
    const head = await runAndStop();
    // Someone with the database file edits record 2 and recomputes every hash after it: the chain holds.
    const db = new Database(join(dir, DATABASE_FILE));
    db.prepare("UPDATE audit SET actor_name = 'Nobody' WHERE id = 2").run();
    let prev = (db.prepare('SELECT hash FROM audit WHERE id = 1').get() as { hash: string }).hash;
    for (const r of db.prepare('SELECT * FROM audit WHERE id >= 2 ORDER BY id').all() as AuditRow[]) {
      const hash = auditHash(prev, auditRecordFromRow(r));
      db.prepare('UPDATE audit SET prev_hash = ?, hash = ? WHERE id = ?').run(prev, hash, r.id);
      prev = hash;
    }
    db.close();
    const rewritten = await cli('audit:verify');
    expect(rewritten.code).toBe(1);
    expect(rewritten.stdout).toContain(
      `audit log BROKEN: record ${head} is not the one the last checkpoint names: the log was rewritten at or before record ${head}`,
    );
  });

  it('a checkpoint written without the key does not count: forging one to hide a cut shows', async () => {
    const head = await runAndStop();
    sql('DELETE FROM audit WHERE id > ?', head - 2);
    const file = join(root, 'data.audit-checkpoints');
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    const forged = { ...(JSON.parse(lines.at(-1)!) as Record<string, unknown>), recordId: head - 2, hash: '0'.repeat(64) };
    appendFileSync(file, `${JSON.stringify(forged)}\n`);
    const r = await cli('audit:verify');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`line ${lines.length + 1}: its signature does not hold (forged or altered)`);
    expect(await refusalOfStart()).toContain('does not hold');
  });

  it('while running, a checkpoint follows every N records; the file and the key stay outside DATA_DIR', async () => {
    const server = await startTestServer({ dataDir: dir, auditCheckpointRecords: 3 });
    const { socket: admin } = await connectAs(server.url, 'admin');
    for (let i = 0; i < 7; i++) await ok(admin, 'profiles:create', { name: `Every ${i}`, rights: ['phoneState.view'], scope: 'own' });
    const head = server.store.audit.head().id;
    const file = join(root, 'data.audit-checkpoints');
    const idsInFile = () =>
      readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { recordId: number }).recordId);
    // Written in the background once the records are on disk: it follows within moments, not in the same turn.
    await until(() => head - idsInFile().at(-1)! < 3, 5000, 'a checkpoint within 2 records of the head');
    const ids = idsInFile();
    // One at start (the empty log), then no more than 2 records behind the head.
    expect(ids[0]).toBe(0);
    expect(ids.length).toBeGreaterThanOrEqual(3);
    expect(head - ids.at(-1)!).toBeLessThan(3);
    expect(server.auditAnchor).toEqual({ checkpointFile: file, keyFile: join(root, 'data.audit-anchor-key'), keySource: 'generated' });
    closeAllSockets();
    await server.close();
    const last = JSON.parse(readFileSync(file, 'utf8').trim().split('\n').at(-1)!) as { recordId: number };
    expect(last.recordId).toBe(head);
  });
});
