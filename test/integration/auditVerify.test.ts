import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../server/src/store/openDatabase.js';
import { call, closeAllSockets, connectAs, ok, startTestServer, userId } from '../support/harness.js';

const run = promisify(execFile);
const CLI = join(import.meta.dirname, '../../server/dist/cli.js');
const root = mkdtempSync(join(tmpdir(), 'earshot-audit-'));
// The data directory inside a throwaway one: the audit anchor (key, checkpoints) is kept beside it.
const dir = join(root, 'data');
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function verify(): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run(process.execPath, [CLI, 'audit:verify', dir]);
    return { code: 0, stdout };
  } catch (e) {
    const err = e as { code: number; stdout: string };
    return { code: err.code, stdout: err.stdout };
  }
}

describe('audit log hash chain', () => {
  it('verifies intact, then reports the first broken link after one row is edited in the database file', async () => {
    const server = await startTestServer({ dataDir: dir });
    const { socket: admin } = await connectAs(server.url, 'admin');
    const { socket: limited } = await connectAs(server.url, 'limited');
    await ok(admin, 'profiles:create', { name: 'Auditors', rights: ['phoneState.view'], scope: 'own' });
    await call(limited, 'users:delete', { userId: await userId(server, 'agent.billing') });
    const { records } = await ok(admin, 'audit:query', { action: 'users:delete' });
    const denial = records[0]!;
    expect(denial).toMatchObject({ outcome: 'denied', code: 'FORBIDDEN', actorName: 'Lee Limited' });
    closeAllSockets();
    await server.close();

    const intact = await verify();
    expect(intact.code).toBe(0);
    expect(intact.stdout).toMatch(
      /^audit log intact: (\d+) records, head [0-9a-f]{16}; reaches the last checkpoint \(record \1, [0-9T:.Z-]+\) in \S+data\.audit-checkpoints\n$/,
    );

    // Someone with the database file turns the denial into a success.
    const db = new Database(join(dir, DATABASE_FILE));
    db.prepare("UPDATE audit SET outcome = 'ok', code = NULL WHERE id = ?").run(denial.id);
    db.close();

    const broken = await verify();
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(`audit log BROKEN at record ${denial.id}: record ${denial.id} was altered after it was written`);
  });

  it('a removed row is reported too', async () => {
    const db = new Database(join(dir, DATABASE_FILE));
    db.prepare("UPDATE audit SET outcome = 'denied', code = 'FORBIDDEN' WHERE action = 'users:delete'").run();
    db.prepare('DELETE FROM audit WHERE id = 2').run();
    db.close();
    const broken = await verify();
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('audit log BROKEN at record 3: record 3 does not follow record 1');
  });
});
