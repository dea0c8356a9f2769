import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from './migrations.js';
import { migrate, openDatabase } from './openDatabase.js';
import { createSqliteStore } from './sqliteStore.js';

function freshStore() {
  const { db } = openDatabase(':memory:');
  return { db, store: createSqliteStore(db) };
}

/** What only SQLite has; what every store does is in storeContract.test.ts. */
describe('SQLite store', () => {
  it('applies migrations once: a second run changes nothing', () => {
    const { db } = freshStore();
    expect(migrate(db)).toBe(false);
    expect(db.prepare('SELECT version FROM schema_migrations').all()).toEqual([1, 2, 3, 4, 5, 6].map((version) => ({ version })));
    expect(MIGRATIONS.map((m) => m.version)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('a file store under DATA_DIR runs in WAL mode and keeps its data across opens', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-store-'));
    try {
      const first = openDatabase(dir);
      expect(first.created).toBe(true);
      expect(first.db.pragma('journal_mode', { simple: true })).toBe('wal');
      await createSqliteStore(first.db).profiles.create({ name: 'Kept', rights: [], scope: 'own' }, 1);
      first.db.close();
      const again = openDatabase(dir);
      expect(again.created).toBe(false);
      expect((await createSqliteStore(again.db).profiles.list()).map((p) => p.name)).toEqual(['Kept']);
      again.db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rule 4: a user holds exactly one profile; a profile with members cannot vanish under them', async () => {
    const { db, store } = freshStore();
    const p = await store.profiles.create({ name: 'P', rights: [], scope: 'own' }, 1);
    await store.users.create({ username: 'u', displayName: 'U', passwordHash: 'x', profileId: p.id, memberOf: [], supervises: [] }, 1);
    expect(() => db.prepare('DELETE FROM profiles WHERE id = ?').run(p.id)).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare('UPDATE users SET profile_id = NULL').run()).toThrow(/NOT NULL/);
    const q = await store.profiles.create({ name: 'Q', rights: [], scope: 'own' }, 1);
    expect(await store.profiles.deleteMovingMembers(p.id, q.id)).toEqual([1]);
    expect((await store.users.get(1))!.profileName).toBe('Q');
  });

  it('login sessions kept in memory: a second view of the same database agrees, a deleted user\u2019s sessions go', async () => {
    const { db, store } = freshStore();
    const p = await store.profiles.create({ name: 'P', rights: [], scope: 'own' }, 1);
    const u = await store.users.create({ username: 'u', displayName: 'U', passwordHash: 'x', profileId: p.id, memberOf: [], supervises: [] }, 1);
    const a = await store.sessions.create(u.id, 'hash-a', 1000, 1);
    const b = await store.sessions.create(u.id, 'hash-b', 1000, 1);
    const c = await store.sessions.create(u.id, 'hash-c', 1000, 1);
    expect(await store.sessions.isActive(a.id, 999)).toBe(true);
    expect(await store.sessions.isActive(a.id, 1000)).toBe(false);
    await store.sessions.revoke(b.id, 2);
    expect(await store.sessions.isActive(b.id, 3)).toBe(false);
    expect(await store.sessions.isActive(c.id, 3)).toBe(true);
    // A second view of the same database (nothing in its memory yet) reads the table and agrees.
    const other = createSqliteStore(db);
    expect(await other.sessions.isActive(b.id, 3)).toBe(false);
    expect(await other.sessions.isActive(c.id, 3)).toBe(true);
    expect(await store.sessions.revokeAllForUser(u.id, 4)).toEqual([a.id, c.id]);
    expect(await store.sessions.isActive(c.id, 5)).toBe(false);
    const d = await store.sessions.create(u.id, 'hash-d', 1000, 6);
    expect(await store.sessions.isActive(d.id, 7)).toBe(true);
    await store.users.delete(u.id);
    expect(await store.sessions.isActive(d.id, 8)).toBe(false);
    expect(await store.sessions.isActive(9999, 8)).toBe(false);
  });
});
