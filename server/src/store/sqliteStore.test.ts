import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyAuditChain } from './auditChain.js';
import { MIGRATIONS } from './migrations.js';
import { migrate, openDatabase } from './openDatabase.js';
import { createSqliteStore } from './sqliteStore.js';

function freshStore() {
  const { db } = openDatabase(':memory:');
  return { db, store: createSqliteStore(db) };
}

describe('SQLite store', () => {
  it('applies migrations once: a second run changes nothing', () => {
    const { db } = freshStore();
    expect(migrate(db)).toBe(false);
    expect(db.prepare('SELECT version FROM schema_migrations').all()).toEqual([1, 2, 3, 4, 5].map((version) => ({ version })));
    expect(MIGRATIONS.map((m) => m.version)).toEqual([1, 2, 3, 4, 5]);
  });

  it('alert settings: the defaults and each user\u2019s preferences are kept; a deleted user\u2019s go with them', async () => {
    const { store } = freshStore();
    expect(await store.alertSettings.defaults()).toBeNull();
    const thresholds = { longCall: 480, longHold: 60, longNotReady: 600, longWrapUp: 90, queueWait: 30 };
    store.alertSettings.setDefaults(thresholds, 1);
    store.alertSettings.setDefaults({ ...thresholds, queueWait: 40 }, 2);
    expect(await store.alertSettings.defaults()).toEqual({ ...thresholds, queueWait: 40 });
    const p = await store.profiles.create({ name: 'P', rights: [], scope: 'own' }, 1);
    const u = await store.users.create({ username: 'u', displayName: 'U', passwordHash: 'x', profileId: p.id, memberOf: [], supervises: [] }, 1);
    expect(await store.alertSettings.preferences(u.id)).toBeNull();
    const own = { longCall: 300, longHold: null, longNotReady: null, longWrapUp: 45, queueWait: null };
    store.alertSettings.setPreferences(u.id, { own, signals: { desktop: true, sound: false } }, 3);
    expect(await store.alertSettings.preferences(u.id)).toEqual({ own, signals: { desktop: true, sound: false } });
    store.users.delete(u.id);
    expect(await store.alertSettings.preferences(u.id)).toBeNull();
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

  it('a login session answers active until it expires, is revoked, its user logs out everywhere or is deleted', async () => {
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

  it("a user's extension names one phone: kept, changed, cleared, and never given to two users", async () => {
    const { store } = freshStore();
    const p = await store.profiles.create({ name: 'P', rights: [], scope: 'own' }, 1);
    const base = { displayName: 'U', passwordHash: 'x', profileId: p.id, memberOf: [], supervises: [] };
    const a = await store.users.create({ ...base, username: 'a', extension: '1001' }, 1);
    const b = await store.users.create({ ...base, username: 'b' }, 1);
    expect([a.extension, b.extension]).toEqual(['1001', null]);
    expect(() => store.users.create({ ...base, username: 'c', extension: '1001' }, 1)).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    expect(() => store.users.update(b.id, { extension: '1001' })).toThrow(
      expect.objectContaining({ code: 'CONFLICT', message: expect.stringContaining('extension 1001') }),
    );
    expect((await store.users.update(a.id, { extension: null })).extension).toBeNull();
    // Freed, the extension can go to someone else; users without one do not collide.
    expect((await store.users.update(b.id, { extension: '1001' })).extension).toBe('1001');
    expect((await store.users.update(b.id, { displayName: 'B' })).extension).toBe('1001');
  });

  it('a duplicate profile name in another case is refused by the store too', async () => {
    const { store } = freshStore();
    await store.profiles.create({ name: 'Night', rights: [], scope: 'own' }, 1);
    expect(() => store.profiles.create({ name: 'NIGHT', rights: [], scope: 'own' }, 1)).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
  });

  it('the managed users of an actor are the members of the teams they supervise', async () => {
    const { store } = freshStore();
    const p = await store.profiles.create({ name: 'P', rights: ['phoneState.view'], scope: 'managed' }, 1);
    const mk = (n: string) => store.users.create({ username: n, displayName: n, passwordHash: 'x', profileId: p.id, memberOf: [], supervises: [] }, 1);
    const boss = await mk('boss');
    const a = await mk('a');
    const b = await mk('b');
    await mk('c');
    await store.teams.create({ name: 'T1', memberIds: [a.id], supervisorIds: [boss.id] }, 1);
    await store.teams.create({ name: 'T2', memberIds: [b.id, boss.id], supervisorIds: [] }, 1);
    const actor = (await store.users.actor(boss.id))!;
    expect([...actor.managedUserIds]).toEqual([a.id]);
    expect(actor.scope).toBe('managed');
    expect([...actor.rights]).toEqual(['phoneState.view']);
  });

  it('audit: appends a chain, filters and pages newest first', async () => {
    const { store } = freshStore();
    for (let i = 1; i <= 5; i++) {
      await store.audit.append({
        at: i * 1000,
        actorId: i % 2,
        actorName: 'A',
        action: i % 2 ? 'users:update' : 'profiles:update',
        targetType: 'user',
        targetId: String(i),
        outcome: 'ok',
        code: null,
        detail: { i },
      });
    }
    expect(verifyAuditChain(store.audit.scan())).toMatchObject({ intact: true, count: 5 });
    const page1 = await store.audit.query({ limit: 2 });
    expect(page1.records.map((r) => r.id)).toEqual([5, 4]);
    expect(page1).toMatchObject({ total: 5, nextBefore: 4 });
    const page3 = await store.audit.query({ limit: 2, before: 2 });
    expect(page3.records.map((r) => r.id)).toEqual([1]);
    expect(page3.nextBefore).toBeNull();
    expect((await store.audit.query({ action: 'users:' })).records.map((r) => r.id)).toEqual([5, 3, 1]);
    expect((await store.audit.query({ from: 2000, to: 3000 })).records.map((r) => r.id)).toEqual([3, 2]);
    expect((await store.audit.query({ actorId: 0 })).total).toBe(2);
  });
});
