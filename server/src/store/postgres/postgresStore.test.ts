import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, postgresAvailable } from '../../../../test/support/postgres.js';
import { verifyAuditChain } from '../auditChain.js';
import { PostgresDatabase } from './postgresDatabase.js';
import { migratePostgres, POSTGRES_MIGRATIONS } from './postgresMigrations.js';
import { openPostgresStore } from './postgresStore.js';

/** What PostgreSQL adds: one database, several processes (nodes) writing it at once. */
const postgresUp = await postgresAvailable();

const APPENDER = join(import.meta.dirname, '../../../../test/support/auditAppender.ts');

/** A process that opens the store, appends `count` records when told, and answers the ids it got. */
function appender(url: string, count: number, label: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', APPENDER, url, String(count), label], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.startsWith('ready\n')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`appender ${label} exited ${code} before it was ready`)));
  });
  const done = new Promise<number[]>((resolve, reject) => {
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out.slice('ready\n'.length)) as number[]) : reject(new Error(`appender ${label} exited ${code}`)),
    );
  });
  return { ready, done, go: () => child.stdin.write('go\n') };
}

describe.skipIf(!postgresUp)('PostgreSQL store, shared by several nodes', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    await database.drop();
  });

  it('applies its migrations once: a second run, as a second node starting, changes nothing', () => {
    const first = openPostgresStore(database.url);
    expect(first.created).toBe(true);
    const second = openPostgresStore(database.url);
    expect(second.created).toBe(false);
    const db = new PostgresDatabase(database.url);
    expect(migratePostgres(db)).toBe(false);
    expect(db.query('SELECT version FROM schema_migrations ORDER BY version').rows).toEqual([1, 2, 3, 4, 5, 6].map((version) => ({ version })));
    expect(POSTGRES_MIGRATIONS.map((m) => m.version)).toEqual([1, 2, 3, 4, 5, 6]);
    for (const s of [first.store, second.store]) s.close();
    db.close();
  });

  it("a database that cannot be opened throws at once, from the synchronous connection, with PostgreSQL's words", () => {
    expect(() => openPostgresStore(`${database.url}_missing`)).toThrow(
      expect.objectContaining({ name: 'PostgresError', code: '3D000', message: `database "${database.name}_missing" does not exist` }),
    );
  });

  it('a lost connection (PostgreSQL restarted, the backend killed) costs at most the write in flight: the next opens another', async () => {
    const { store } = openPostgresStore(database.url);
    const p = store.profiles.create({ name: 'Before', rights: [], scope: 'own' }, 1);
    const admin = new PostgresDatabase(database.url);
    admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database.name]);
    // pg_terminate_backend only signals: the backends are gone once pg_stat_activity no longer lists them.
    // Writing before that, the first write may still reach its backend and the second find it dead.
    const others = () =>
      Number(
        admin.query<{ n: string }>('SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database.name]).rows[0]!.n,
      );
    for (let tries = 0; others() > 0 && tries < 500; tries++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(others()).toBe(0);
    admin.close();
    const failures: string[] = [];
    for (const name of ['During', 'After']) {
      try {
        store.profiles.create({ name, rights: [], scope: 'own' }, 2);
      } catch (e) {
        failures.push(`${name}: ${(e as Error).message}`);
      }
    }
    expect(failures.length).toBeLessThanOrEqual(1);
    expect(failures.filter((f) => f.startsWith('After'))).toEqual([]);
    expect(
      store.audit.append({ at: 3, actorId: null, actorName: null, action: 'x', targetType: null, targetId: null, outcome: 'ok', code: null, detail: {} }).id,
    ).toBe(1);
    expect((await store.profiles.get(p.id))!.name).toBe('Before');
    store.close();
  });

  it('a revoke on one node is seen at once by another: isActive reads the shared table', async () => {
    const one = openPostgresStore(database.url).store;
    const two = openPostgresStore(database.url).store;
    const p = one.profiles.create({ name: 'P', rights: [], scope: 'own' }, 1);
    const u = one.users.create({ username: 'u', displayName: 'U', passwordHash: 'x', profileId: p.id, memberOf: [], supervises: [] }, 1);
    const a = await one.sessions.create(u.id, 'hash-a', 1000, 1);
    const b = await one.sessions.create(u.id, 'hash-b', 1000, 1);
    // Both nodes have answered for both sessions (whatever either might keep, it has seen them active).
    for (const node of [one, two]) for (const s of [a, b]) expect(await node.sessions.isActive(s.id, 2)).toBe(true);
    await one.sessions.revoke(a.id, 3);
    expect(await two.sessions.isActive(a.id, 4)).toBe(false);
    expect(await two.sessions.findActive('hash-a', 4)).toBeNull();
    expect(await two.sessions.isActive(b.id, 4)).toBe(true);
    expect(two.sessions.revokeAllForUser(u.id, 5)).toEqual([b.id]);
    expect(await one.sessions.isActive(b.id, 6)).toBe(false);
    one.close();
    two.close();
  });

  it('3 processes appending 300 records each at once keep one chain: ids 1..900, no gap, intact', async () => {
    // A first store creates the schema, so the three start on a migrated database.
    const setup = openPostgresStore(database.url).store;
    const nodes = ['a', 'b', 'c'].map((label) => appender(database.url, 300, label));
    await Promise.all(nodes.map((n) => n.ready));
    for (const n of nodes) n.go();
    const given = await Promise.all(nodes.map((n) => n.done));
    const records = [...setup.audit.scan()];
    expect(records.map((r) => r.id)).toEqual(Array.from({ length: 900 }, (_, i) => i + 1));
    expect(verifyAuditChain(records)).toMatchObject({ intact: true, count: 900 });
    // Every process got 300 ids, together each id exactly once; and they did write at the same time.
    expect(given.map((ids) => ids.length)).toEqual([300, 300, 300]);
    expect(new Set(given.flat()).size).toBe(900);
    const interleaved = given.filter((ids) => ids.at(-1)! - ids[0]! > 299).length;
    expect(interleaved).toBeGreaterThan(0);
    for (const r of records) expect(r.actorName).toBe((r.detail as { node: string }).node);
    setup.close();
  }, 60_000);
});
