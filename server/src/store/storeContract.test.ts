import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, postgresAvailable } from '../../../test/support/postgres.js';
import { verifyAuditChain } from './auditChain.js';
import { openDatabase } from './openDatabase.js';
import { openPostgresStore } from './postgres/postgresStore.js';
import type { AuditEntry, NewRecording, OpenSupervision, Store } from './repositories.js';
import { createSqliteStore } from './sqliteStore.js';

/**
 * What every store must do, run against each: SQLite in memory, and PostgreSQL in a database of its own per
 * test (skipped with a message when no PostgreSQL answers, failed in CI).
 */
const postgresUp = await postgresAvailable();

interface Opened {
  store: Store;
  close(): Promise<void>;
}

const KINDS: { kind: string; available: boolean; open(): Promise<Opened> }[] = [
  {
    kind: 'SQLite',
    available: true,
    open: async () => {
      const store = createSqliteStore(openDatabase(':memory:').db);
      return { store, close: async () => store.close() };
    },
  },
  {
    kind: 'PostgreSQL',
    available: postgresUp,
    open: async () => {
      const database = await createTestDatabase();
      const { store } = openPostgresStore(database.url);
      return {
        store,
        close: async () => {
          store.close();
          await database.drop();
        },
      };
    },
  },
];

const entry = (i: number, over: Partial<AuditEntry> = {}): AuditEntry => ({
  at: i * 1000,
  actorId: i % 2,
  actorName: 'A',
  action: i % 2 ? 'users:update' : 'profiles:update',
  targetType: 'user',
  targetId: String(i),
  outcome: 'ok',
  code: null,
  detail: { i, z: 'last', a: 'first' },
  ...over,
});

const recording: Omit<NewRecording, 'callId' | 'agentId' | 'file'> = {
  agentName: 'Ava Adams',
  queue: 'Billing',
  direction: 'inbound',
  remoteNumberMasked: '•••• 1234',
  startedAt: 1000,
};

describe.each(KINDS)('$kind store', ({ available, open }) => {
  let opened: Opened;
  let store: Store;
  beforeEach(async (ctx) => {
    if (!available) ctx.skip();
    opened = await open();
    store = opened.store;
  });
  afterEach(async () => {
    if (available) await opened.close();
  });

  const newProfile = (name = 'P') => store.profiles.create({ name, rights: [], scope: 'own' }, 1);
  const newUser = (profileId: number, username: string, more: { extension?: string | null; memberOf?: number[]; supervises?: number[] } = {}) =>
    store.users.create(
      { username, displayName: username.toUpperCase(), passwordHash: `hash-${username}`, profileId, memberOf: [], supervises: [], ...more },
      1,
    );

  it('profiles: created, read by id and key, updated, listed with their member counts', async () => {
    const admin = store.profiles.create({ key: 'administrator', name: 'Administrator', rights: ['users.edit'], scope: 'all' }, 1);
    expect(admin).toEqual({ id: admin.id, key: 'administrator', name: 'Administrator', scope: 'all', rights: ['users.edit'], memberCount: 0, locked: true });
    const p = newProfile('Night');
    newUser(p.id, 'u');
    expect(await store.profiles.getByKey('administrator')).toEqual(admin);
    expect(await store.profiles.get(p.id)).toMatchObject({ name: 'Night', memberCount: 1, locked: false });
    expect(store.profiles.update(p.id, { name: 'Late', scope: 'managed', rights: ['phoneState.view'] }, 2)).toMatchObject({
      name: 'Late',
      scope: 'managed',
      rights: ['phoneState.view'],
      memberCount: 1,
    });
    expect((await store.profiles.list()).map((x) => x.name)).toEqual(['Administrator', 'Late']);
    expect(await store.profiles.get(9999)).toBeNull();
    expect(() => store.profiles.update(9999, { name: 'X' }, 2)).toThrow(expect.objectContaining({ code: 'NOT_FOUND', message: 'profileId: no profile 9999' }));
  });

  it('a duplicate profile name in another case is refused by the store too, with the same message', () => {
    newProfile('Night');
    expect(() => newProfile('NIGHT')).toThrow(expect.objectContaining({ code: 'CONFLICT', message: 'A profile named "NIGHT" already exists' }));
    const day = newProfile('Day');
    expect(() => store.profiles.update(day.id, { name: 'night' }, 2)).toThrow(
      expect.objectContaining({ code: 'CONFLICT', message: 'A profile named "night" already exists' }),
    );
  });

  it('rule 3: deleting a profile moves its members in the same transaction; a missing one is NOT_FOUND and moves nobody', async () => {
    const p = newProfile('P');
    const q = newProfile('Q');
    const a = newUser(p.id, 'a');
    const b = newUser(p.id, 'b');
    expect(() => store.profiles.deleteMovingMembers(9999, q.id)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(store.profiles.deleteMovingMembers(p.id, q.id)).toEqual([a.id, b.id]);
    expect(await store.profiles.get(p.id)).toBeNull();
    expect((await store.users.get(a.id))!.profileName).toBe('Q');
    expect(await store.profiles.memberIds(q.id)).toEqual([a.id, b.id]);
    expect(await store.users.countWithProfile(q.id)).toBe(2);
  });

  it('users: created with teams, read, their teams replaced, deleted', async () => {
    const p = newProfile();
    const t1 = store.teams.create({ name: 'T1', memberIds: [], supervisorIds: [] }, 1);
    const t2 = store.teams.create({ name: 'T2', memberIds: [], supervisorIds: [] }, 1);
    const u = newUser(p.id, 'ava', { memberOf: [t2.id, t1.id], supervises: [t1.id] });
    expect(u).toEqual({
      id: u.id,
      username: 'ava',
      displayName: 'AVA',
      profileId: p.id,
      profileName: 'P',
      memberOf: [t1.id, t2.id],
      supervises: [t1.id],
      extension: null,
      createdAt: 1,
    });
    expect(await store.users.credentials('ava')).toEqual({ id: u.id, passwordHash: 'hash-ava' });
    expect(await store.users.credentials('nobody')).toBeNull();
    expect(store.users.update(u.id, { displayName: 'Ava', memberOf: [t2.id], supervises: [] })).toMatchObject({
      displayName: 'Ava',
      memberOf: [t2.id],
      supervises: [],
    });
    const b = newUser(p.id, 'bo');
    expect(await store.users.existing([b.id, 9999, u.id])).toEqual([u.id, b.id]);
    expect(await store.users.existing([])).toEqual([]);
    store.users.delete(u.id);
    expect(await store.users.get(u.id)).toBeNull();
    expect((await store.teams.get(t2.id))!.memberIds).toEqual([]);
    expect((await store.users.list()).map((x) => x.username)).toEqual(['bo']);
    expect(() => store.users.delete(u.id)).toThrow(expect.objectContaining({ code: 'NOT_FOUND', message: `userId: no user ${u.id}` }));
    expect(() => store.users.update(u.id, { displayName: 'X' })).toThrow(expect.objectContaining({ code: 'NOT_FOUND', message: `userId: no user ${u.id}` }));
  });

  it('constraint errors: a taken username, a missing team or profile, with the same codes and messages', () => {
    const p = newProfile();
    const u = newUser(p.id, 'ava');
    expect(() => newUser(p.id, 'ava')).toThrow(
      expect.objectContaining({ code: 'CONFLICT', message: 'A user named "ava", a user with extension (none), or a team already exists' }),
    );
    expect(() => newUser(p.id, 'bo', { memberOf: [9999] })).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND', message: 'A user named "bo", a user with extension (none), or a team: a referenced record does not exist' }),
    );
    expect(() => newUser(9999, 'cy')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => store.users.update(u.id, { supervises: [9999] })).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND', message: 'That user or team: a referenced record does not exist' }),
    );
    expect(() => store.teams.create({ name: 'T', memberIds: [9999], supervisorIds: [] }, 1)).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND', message: 'A team named "T": a referenced record does not exist' }),
    );
    store.teams.create({ name: 'T', memberIds: [u.id], supervisorIds: [] }, 1);
    expect(() => store.teams.create({ name: 't', memberIds: [], supervisorIds: [] }, 1)).toThrow(
      expect.objectContaining({ code: 'CONFLICT', message: 'A team named "t" already exists' }),
    );
  });

  it("a user's extension names one phone: kept, changed, cleared, and never given to two users", async () => {
    const p = newProfile();
    const a = newUser(p.id, 'a', { extension: '1001' });
    const b = newUser(p.id, 'b');
    expect([a.extension, b.extension]).toEqual(['1001', null]);
    expect(() => newUser(p.id, 'c', { extension: '1001' })).toThrow(
      expect.objectContaining({ code: 'CONFLICT', message: 'A user named "c", a user with extension 1001, or a team already exists' }),
    );
    expect(() => store.users.update(b.id, { extension: '1001' })).toThrow(
      expect.objectContaining({ code: 'CONFLICT', message: 'A user with extension 1001, or that user or team, already exists' }),
    );
    expect(store.users.update(a.id, { extension: null }).extension).toBeNull();
    expect(store.users.update(b.id, { extension: '1001' }).extension).toBe('1001');
    expect(store.users.update(b.id, { displayName: 'B' }).extension).toBe('1001');
  });

  it('teams: listed by name whatever its case, people replaced, deleted', async () => {
    const p = newProfile();
    const a = newUser(p.id, 'a');
    const b = newUser(p.id, 'b');
    const t = store.teams.create({ name: 'beta', memberIds: [b.id, a.id], supervisorIds: [] }, 1);
    store.teams.create({ name: 'Alpha', memberIds: [], supervisorIds: [a.id] }, 1);
    store.teams.create({ name: 'Gamma', memberIds: [], supervisorIds: [] }, 1);
    expect(t).toEqual({ id: t.id, name: 'beta', memberIds: [a.id, b.id], supervisorIds: [] });
    expect((await store.teams.list()).map((x) => x.name)).toEqual(['Alpha', 'beta', 'Gamma']);
    expect(store.teams.update(t.id, { name: 'Beta', memberIds: [b.id], supervisorIds: [a.id] })).toEqual({
      id: t.id,
      name: 'Beta',
      memberIds: [b.id],
      supervisorIds: [a.id],
    });
    expect((await store.users.get(a.id))!.supervises.length).toBe(2);
    store.teams.delete(t.id);
    expect(await store.teams.get(t.id)).toBeNull();
    expect(() => store.teams.delete(t.id)).toThrow(expect.objectContaining({ code: 'NOT_FOUND', message: `teamId: no team ${t.id}` }));
    expect(() => store.teams.update(t.id, { name: 'X' })).toThrow(expect.objectContaining({ code: 'NOT_FOUND', message: `teamId: no team ${t.id}` }));
  });

  it('the managed users of an actor are the members of the teams they supervise', async () => {
    const p = store.profiles.create({ name: 'P', rights: ['phoneState.view'], scope: 'managed' }, 1);
    const boss = newUser(p.id, 'boss');
    const a = newUser(p.id, 'a');
    const b = newUser(p.id, 'b');
    newUser(p.id, 'c');
    store.teams.create({ name: 'T1', memberIds: [a.id], supervisorIds: [boss.id] }, 1);
    store.teams.create({ name: 'T2', memberIds: [b.id, boss.id], supervisorIds: [] }, 1);
    const actor = (await store.users.actor(boss.id))!;
    expect([...actor.managedUserIds]).toEqual([a.id]);
    expect(actor).toMatchObject({ id: boss.id, displayName: 'BOSS', profileId: p.id, profileName: 'P', scope: 'managed' });
    expect([...actor.rights]).toEqual(['phoneState.view']);
    expect(await store.users.actor(9999)).toBeNull();
  });

  it('a login session answers active until it expires, is revoked, its user logs out everywhere or is deleted', async () => {
    const p = newProfile();
    const u = newUser(p.id, 'u');
    const a = await store.sessions.create(u.id, 'hash-a', 1000, 1);
    const b = await store.sessions.create(u.id, 'hash-b', 1000, 1);
    const c = await store.sessions.create(u.id, 'hash-c', 1000, 1);
    expect(await store.sessions.findActive('hash-a', 999)).toEqual({ id: a.id, userId: u.id, expiresAt: 1000 });
    expect(await store.sessions.findActive('hash-a', 1000)).toBeNull();
    expect(await store.sessions.isActive(a.id, 999)).toBe(true);
    expect(await store.sessions.isActive(a.id, 1000)).toBe(false);
    await store.sessions.revoke(b.id, 2);
    expect(await store.sessions.isActive(b.id, 3)).toBe(false);
    expect(await store.sessions.findActive('hash-b', 3)).toBeNull();
    expect(await store.sessions.isActive(c.id, 3)).toBe(true);
    expect(store.sessions.revokeAllForUser(u.id, 4)).toEqual([a.id, c.id]);
    expect(await store.sessions.isActive(c.id, 5)).toBe(false);
    const d = await store.sessions.create(u.id, 'hash-d', 1000, 6);
    expect(await store.sessions.isActive(d.id, 7)).toBe(true);
    store.users.delete(u.id);
    expect(await store.sessions.isActive(d.id, 8)).toBe(false);
    expect(await store.sessions.isActive(9999, 8)).toBe(false);
  });

  it('audit: appends a chain, filters and pages newest first; head and hashAt name the newest', async () => {
    expect(store.audit.head()).toEqual({ id: 0, hash: '0'.repeat(64) });
    const written = [1, 2, 3, 4, 5].map((i) => store.audit.append(entry(i)));
    expect(written.map((r) => r.id)).toEqual([1, 2, 3, 4, 5]);
    expect([...store.audit.scan()]).toEqual(written);
    expect(verifyAuditChain(store.audit.scan())).toMatchObject({ intact: true, count: 5 });
    expect(store.audit.head()).toEqual({ id: 5, hash: written[4]!.hash });
    expect(store.audit.hashAt(3)).toBe(written[2]!.hash);
    expect(store.audit.hashAt(6)).toBeNull();
    const page1 = await store.audit.query({ limit: 2 });
    expect(page1.records.map((r) => r.id)).toEqual([5, 4]);
    expect(page1).toMatchObject({ total: 5, nextBefore: 4 });
    const page3 = await store.audit.query({ limit: 2, before: 2 });
    expect(page3.records.map((r) => r.id)).toEqual([1]);
    expect(page3.nextBefore).toBeNull();
    expect((await store.audit.query({ action: 'users:' })).records.map((r) => r.id)).toEqual([5, 3, 1]);
    expect((await store.audit.query({ action: 'users:update' })).total).toBe(3);
    expect((await store.audit.query({ from: 2000, to: 3000 })).records.map((r) => r.id)).toEqual([3, 2]);
    expect((await store.audit.query({ actorId: 0 })).total).toBe(2);
    expect((await store.audit.query({ targetType: 'user', targetId: '4', outcome: 'ok' })).records.map((r) => r.id)).toEqual([4]);
    expect((await store.audit.query({ limit: 1 })).records[0]!.detail).toEqual({ i: 5, z: 'last', a: 'first' });
  });

  it('a transaction stores every write and its audit record, or none; the chain keeps no gap', async () => {
    const p = newProfile();
    expect(() =>
      store.transaction(() => {
        store.users.create({ username: 'gone', displayName: 'G', passwordHash: 'x', profileId: p.id, memberOf: [], supervises: [] }, 1);
        store.audit.append(entry(1));
        throw new Error('refused after the writes');
      }),
    ).toThrow('refused after the writes');
    expect(await store.users.credentials('gone')).toBeNull();
    expect(store.audit.head().id).toBe(0);
    const kept = store.transaction(() => {
      const u = newUser(p.id, 'kept');
      store.audit.append(entry(2));
      return u;
    });
    expect(await store.users.get(kept.id)).toMatchObject({ username: 'kept' });
    expect([...store.audit.scan()].map((r) => r.id)).toEqual([1]);
  });

  it('nested transactions: an inner one that fails, or a refused write caught inside, leaves the outer one to commit', async () => {
    const p = newProfile();
    store.transaction(() => {
      newUser(p.id, 'outer');
      expect(() =>
        store.transaction(() => {
          newUser(p.id, 'inner');
          throw new Error('inner refused');
        }),
      ).toThrow('inner refused');
      expect(() => newUser(p.id, 'outer')).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
      store.audit.append(entry(1));
    });
    expect((await store.users.list()).map((u) => u.username)).toEqual(['outer']);
    expect(verifyAuditChain(store.audit.scan())).toMatchObject({ intact: true, count: 1 });
  });

  it('recordings: created unfinished, keep their paused spans, finish; a second delete is NOT_FOUND', async () => {
    const r = await store.recordings.create({ ...recording, callId: 'c-1', agentId: 7, file: 'c-1.wav' });
    expect(r).toMatchObject({ callId: 'c-1', agentId: 7, file: 'c-1.wav', endedAt: null, durationMs: 0, bytes: 0, pausedSpans: [] });
    await store.recordings.setPausedSpans(r.id, [{ fromMs: 200, toMs: null }]);
    expect((await store.recordings.unfinished()).map((u) => u.pausedSpans)).toEqual([[{ fromMs: 200, toMs: null }]]);
    const done = await store.recordings.finish(r.id, { endedAt: 5000, durationMs: 4000, bytes: 128_000, pausedSpans: [{ fromMs: 200, toMs: 800 }] });
    expect(done).toMatchObject({ endedAt: 5000, durationMs: 4000, bytes: 128_000, pausedSpans: [{ fromMs: 200, toMs: 800 }] });
    expect(await store.recordings.unfinished()).toEqual([]);
    await expect(store.recordings.finish(9999, { endedAt: 1, durationMs: 1, bytes: 1, pausedSpans: [] })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await store.recordings.delete(r.id);
    expect(await store.recordings.get(r.id)).toBeNull();
    await expect(store.recordings.delete(r.id)).rejects.toMatchObject({ code: 'NOT_FOUND', message: `No recording ${r.id}` });
  });

  it('recordings: paged newest first, within the agents of a scope, by agent and call', async () => {
    const ids: number[] = [];
    for (const [n, agentId] of [
      [1, 7],
      [2, 8],
      [3, 7],
      [4, 9],
    ] as const) {
      ids.push((await store.recordings.create({ ...recording, callId: `c-${n}`, agentId, file: `c-${n}.wav` })).id);
    }
    const [r1, r2, r3, r4] = ids as [number, number, number, number];
    const page = async (q: Parameters<typeof store.recordings.page>[0]) => {
      const got = await store.recordings.page(q);
      return { ids: got.recordings.map((r) => r.id), nextBefore: got.nextBefore };
    };
    expect(await page({ agentIds: null, limit: 10 })).toEqual({ ids: [r4, r3, r2, r1], nextBefore: null });
    expect(await page({ agentIds: [7, 9], limit: 2 })).toEqual({ ids: [r4, r3], nextBefore: r3 });
    expect(await page({ agentIds: [7, 9], limit: 2, before: r3 })).toEqual({ ids: [r1], nextBefore: null });
    expect(await page({ agentIds: [], limit: 10 })).toEqual({ ids: [], nextBefore: null });
    expect(await page({ agentIds: null, agentId: 8, limit: 10 })).toEqual({ ids: [r2], nextBefore: null });
    expect(await page({ agentIds: [7], callId: 'c-2', limit: 10 })).toEqual({ ids: [], nextBefore: null });
  });

  it('supervisions: the open ones are kept until closed; ends wait for their user, oldest first, taken once', () => {
    const p = newProfile();
    const u = newUser(p.id, 'sup');
    const open = (sessionId: string, startedAt: number, nodeId: string | null = null): OpenSupervision => ({
      sessionId,
      callId: `call-${sessionId}`,
      agentId: 7,
      supervisor: { id: u.id, name: 'Sup' },
      mode: 'monitor',
      startedAt,
      modeSince: startedAt,
      nodeId,
    });
    store.supervisions.opened(open('b', 20));
    store.supervisions.opened(open('a', 10));
    store.supervisions.modeChanged('b', 'coach', 30);
    expect(store.supervisions.leftOpen()).toEqual([open('a', 10), { ...open('b', 20), mode: 'coach', modeSince: 30 }]);
    store.supervisions.closed('a');
    expect(store.supervisions.leftOpen().map((s) => s.sessionId)).toEqual(['b']);
    // Several nodes sharing the store: each one's open sessions apart.
    store.supervisions.opened(open('c', 40, 'node-a'));
    store.supervisions.opened(open('d', 50, 'node-b'));
    store.supervisions.opened(open('e', 60, 'node-a'));
    expect(store.supervisions.leftOpen('node-a')).toEqual([open('c', 40, 'node-a'), open('e', 60, 'node-a')]);
    expect(store.supervisions.leftOpen('node-c')).toEqual([]);
    expect(store.supervisions.leftOpen().map((s) => s.sessionId)).toEqual(['b', 'c', 'd', 'e']);
    for (const id of ['c', 'd', 'e']) store.supervisions.closed(id);
    store.supervisions.keepForDelivery(u.id, 'supervise:ended', { n: 1 }, 1);
    store.supervisions.keepForDelivery(u.id, 'notice:supervision', { n: 2 }, 2);
    store.supervisions.keepForDelivery(u.id, 'supervise:ended', { n: 3 }, 3);
    expect(store.supervisions.takeUndelivered(u.id, 'supervise:ended')).toEqual([{ n: 1 }, { n: 3 }]);
    expect(store.supervisions.takeUndelivered(u.id, 'supervise:ended')).toEqual([]);
    store.users.delete(u.id);
    expect(store.supervisions.takeUndelivered(u.id, 'notice:supervision')).toEqual([]);
  });

  it('alert settings: the defaults and each user\u2019s preferences are kept; a deleted user\u2019s go with them', async () => {
    expect(await store.alertSettings.defaults()).toBeNull();
    const thresholds = { longCall: 480, longHold: 60, longNotReady: 600, longWrapUp: 90, queueWait: 30 };
    store.alertSettings.setDefaults(thresholds, 1);
    store.alertSettings.setDefaults({ ...thresholds, queueWait: 40 }, 2);
    expect(await store.alertSettings.defaults()).toEqual({ ...thresholds, queueWait: 40 });
    const u = newUser(newProfile().id, 'u');
    expect(await store.alertSettings.preferences(u.id)).toBeNull();
    const own = { longCall: 300, longHold: null, longNotReady: null, longWrapUp: 45, queueWait: null };
    store.alertSettings.setPreferences(u.id, { own, signals: { desktop: true, sound: false } }, 3);
    expect(await store.alertSettings.preferences(u.id)).toEqual({ own, signals: { desktop: true, sound: false } });
    store.alertSettings.setPreferences(u.id, { own, signals: { desktop: false, sound: true } }, 4);
    expect((await store.alertSettings.preferences(u.id))!.signals).toEqual({ desktop: false, sound: true });
    store.users.delete(u.id);
    expect(await store.alertSettings.preferences(u.id)).toBeNull();
  });
});
