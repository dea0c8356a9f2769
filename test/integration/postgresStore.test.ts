import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { SupervisionNotice } from '@earshot/shared';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { agentOnCall, collect, until } from '../support/floor.js';
import { closeAllSockets, connectAs, loginHttp, ok, startTestServer } from '../support/harness.js';
import { createTestDatabase, postgresAvailable } from '../support/postgres.js';

const run = promisify(execFile);
const CLI = join(import.meta.dirname, '../../server/dist/cli.js');
const postgresUp = await postgresAvailable();
const root = mkdtempSync(join(tmpdir(), 'earshot-pg-'));
// DATA_DIR holds no database on PostgreSQL: it is where this node's audit anchor sits beside.
const dataDir = join(root, 'data');
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function verify(databaseUrl: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, 'audit:verify', dataDir], { env: { ...process.env, DATABASE_URL: databaseUrl } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe.skipIf(!postgresUp)('the server on PostgreSQL (DATABASE_URL)', () => {
  it('starts on a new database with the demo floor, logs in, supervises a call; audit:verify finds the chain intact and anchored', async () => {
    const database = await createTestDatabase();
    try {
      const server = await startTestServer({ databaseUrl: database.url, dataDir });
      expect(server.databasePath).toBe(`${database.url}`);
      expect(server.demoLogins.length).toBeGreaterThan(0);
      expect(server.auditAnchor?.checkpointFile).toBe(`${dataDir}.audit-checkpoints`);
      expect((await loginHttp(server.url, 'admin', 'wrong password')).status).toBe(401);

      const agent = await agentOnCall(server, 'agent.billing');
      const notices = collect<SupervisionNotice>(agent.socket, 'notice:supervision');
      const manager = await connectAs(server.url, 'manager.billing');
      const { session } = await ok(manager.socket, 'supervise:start', { agentId: agent.userId, mode: 'monitor' });
      await ok(manager.socket, 'supervise:stop', { sessionId: session.sessionId });
      await until(() => notices.length === 2, 2000, 'started and ended notices');
      expect(notices.map((n) => [n.phase, n.reason])).toEqual([
        ['started', null],
        ['ended', 'stopped'],
      ]);
      expect(server.store.supervisions.leftOpen()).toEqual([]);

      const { socket: admin } = await connectAs(server.url, 'admin');
      const { records } = await ok(admin, 'audit:query', { action: 'supervise:' });
      expect(records.map((r) => [r.action, r.outcome, r.actorName])).toEqual([
        ['supervise:ended', 'ok', manager.login.me.displayName],
        ['supervise:stop', 'ok', manager.login.me.displayName],
        ['supervise:start', 'ok', manager.login.me.displayName],
      ]);
      const denied = await ok(admin, 'audit:query', { action: 'auth:login' });
      expect(denied.records.some((r) => r.outcome === 'denied')).toBe(true);
      const head = server.store.audit.head();
      closeAllSockets();
      await server.close();

      const intact = await verify(database.url);
      expect(intact.stderr).toBe('');
      expect(intact.code).toBe(0);
      expect(intact.stdout).toMatch(
        new RegExp(
          `^audit log intact: ${head.id} records, head [0-9a-f]{16}; reaches the last checkpoint \\(record ${head.id}, [0-9T:.Z-]+\\) in \\S+data\\.audit-checkpoints\\n$`,
        ),
      );

      // A second start on the same database is no new install: no demo floor, the chain reaches its anchor.
      const again = await startTestServer({ databaseUrl: database.url, dataDir });
      expect(again.demoLogins).toEqual([]);
      expect((await loginHttp(again.url, 'admin')).status).toBe(200);
      await again.close();
      expect((await verify(database.url)).code).toBe(0);

      // Someone with the database's password turns a denial into a success.
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      const { rows } = await client.query<{ id: string }>("UPDATE audit SET outcome = 'ok', code = NULL WHERE outcome = 'denied' RETURNING id");
      await client.end();
      const tampered = Number(rows[0]!.id);
      const broken = await verify(database.url);
      expect(broken.code).toBe(1);
      expect(broken.stdout).toContain(`audit log BROKEN at record ${tampered}: record ${tampered} was altered after it was written`);
    } finally {
      await database.drop();
    }
  });

  it('audit:verify says so when DATABASE_URL names a database without a store', async () => {
    const database = await createTestDatabase();
    try {
      const empty = await verify(database.url);
      expect(empty).toMatchObject({ code: 2, stdout: '', stderr: `No store at ${database.url}\n` });
    } finally {
      await database.drop();
    }
  });
});
