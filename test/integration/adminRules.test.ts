import type { AuditRecord, Profile } from '@earshot/shared';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call, closeAllSockets, connectAs, nextEvent, ok, startTestServer, userId, type ClientSocket, type TestServer } from '../support/harness.js';

let server: TestServer;
let admin: ClientSocket;
let limited: ClientSocket;
let profiles: Profile[];
const byKey = (key: string) => profiles.find((p) => p.key === key)!;

beforeAll(async () => {
  server = await startTestServer();
  admin = (await connectAs(server.url, 'admin')).socket;
  limited = (await connectAs(server.url, 'limited')).socket;
  profiles = (await ok(admin, 'profiles:list', {})).profiles;
});
afterEach(() => {});
afterAll(async () => {
  closeAllSockets();
  await server.close();
});

/** The newest audit record for this action: the one the step just wrote. */
async function audited(action: string): Promise<AuditRecord> {
  const { records } = await ok(admin, 'audit:query', { action, limit: 1 });
  return records[0]!;
}

describe('the Limited Admin', () => {
  it('cannot delete users: FORBIDDEN, audited as denied', async () => {
    const agentId = await userId(server, 'agent.billing');
    expect(await call(limited, 'users:delete', { userId: agentId })).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'Your profile (Limited Admin) does not hold Delete Users (users.delete)' },
    });
    expect(await server.store.users.get(agentId)).not.toBeNull();
    expect(await audited('users:delete')).toMatchObject({
      actorName: 'Lee Limited',
      outcome: 'denied',
      code: 'FORBIDDEN',
      targetType: 'user',
      targetId: String(agentId),
    });
  });

  it('cannot assign the Administrator profile (rule 6), audited', async () => {
    const agentId = await userId(server, 'agent.sales');
    expect(await call(limited, 'users:update', { userId: agentId, profileId: byKey('administrator').id })).toEqual({
      ok: false,
      error: {
        code: 'FORBIDDEN',
        message: 'You cannot assign the Administrator profile: it holds Delete Users (users.delete), which you do not (rule 6, no escalation)',
      },
    });
    expect((await server.store.users.get(agentId))!.profileName).toBe('Agent');
    expect(await audited('users:update')).toMatchObject({ actorName: 'Lee Limited', outcome: 'denied', code: 'FORBIDDEN', targetId: String(agentId) });
  });

  it('cannot create an Administrator either', async () => {
    const r = await call(limited, 'users:create', {
      username: 'sneaky',
      displayName: 'Sneaky',
      password: 'long-enough-pw',
      profileId: byKey('administrator').id,
    });
    expect(r.ok === false && r.error.code).toBe('FORBIDDEN');
    expect(await server.store.users.credentials('sneaky')).toBeNull();
  });

  it('creates an Agent and a Privileged User (Handle Calls and Live Monitoring Notifications do not count, rule 6), but not a Manager', async () => {
    const agent = await ok(limited, 'users:create', {
      username: 'new.agent',
      displayName: 'New Agent',
      password: 'new-agent-pw',
      profileId: byKey('agent').id,
    });
    expect(agent.user.profileName).toBe('Agent');
    const privileged = await ok(limited, 'users:create', {
      username: 'new.privileged',
      displayName: 'New Privileged',
      password: 'new-privileged-pw',
      profileId: byKey('privilegedUser').id,
    });
    expect(privileged.user.profileName).toBe('Privileged User');
    expect(await audited('users:create')).toMatchObject({ actorName: 'Lee Limited', outcome: 'ok', targetId: String(privileged.user.id) });
    const moved = await ok(limited, 'users:update', { userId: agent.user.id, profileId: byKey('privilegedUser').id });
    expect(moved.user.profileName).toBe('Privileged User');

    expect(
      await call(limited, 'users:create', { username: 'new.manager', displayName: 'New Manager', password: 'new-manager-pw', profileId: byKey('manager').id }),
    ).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'You cannot assign the Manager profile: it holds Barge (live.barge), which you do not (rule 6, no escalation)' },
    });
    expect(await server.store.users.credentials('new.manager')).toBeNull();
    expect(await audited('users:create')).toMatchObject({ actorName: 'Lee Limited', outcome: 'denied', code: 'FORBIDDEN' });
  });

  it('cannot reset the password of an Administrator', async () => {
    const r = await call(limited, 'users:update', { userId: await userId(server, 'admin'), password: 'taken-over-now' });
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'FORBIDDEN',
        message:
          'You cannot set the password of a user of the Administrator profile: it holds Delete Users (users.delete), which you do not (rule 6, no escalation)',
      },
    });
  });

  it('creates users with a profile it covers, and edits their name and teams', async () => {
    const viewer = await ok(admin, 'profiles:create', { name: 'Viewer', rights: ['phoneState.view'], scope: 'own' });
    const made = await ok(limited, 'users:create', {
      username: 'viewer.one',
      displayName: 'Viewer One',
      password: 'viewer-one-pw',
      profileId: viewer.profile.id,
    });
    expect(made.user.profileName).toBe('Viewer');
    const agentId = await userId(server, 'agent.sales');
    const renamed = await ok(limited, 'users:update', { userId: agentId, displayName: 'Renamed Agent' });
    expect(renamed.user.displayName).toBe('Renamed Agent');
  });

  it('cannot edit profiles: FORBIDDEN (Change System Settings), audited', async () => {
    expect(await call(limited, 'profiles:update', { profileId: byKey('manager').id, rights: ['phoneState.view'] })).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'Your profile (Limited Admin) does not hold Change System Settings (system.settings)' },
    });
    expect(await audited('profiles:update')).toMatchObject({
      actorName: 'Lee Limited',
      outcome: 'denied',
      code: 'FORBIDDEN',
      targetId: String(byKey('manager').id),
    });
    expect((await call(limited, 'profiles:create', { name: 'Mine', rights: [], scope: 'own' })).ok).toBe(false);
    expect((await call(limited, 'profiles:delete', { profileId: byKey('manager').id })).ok).toBe(false);
  });

  it('cannot read the audit log', async () => {
    const r = await call(limited, 'audit:query', {});
    expect(r.ok === false && r.error.code).toBe('FORBIDDEN');
  });
});

describe('the Administrator profile (rule 1)', () => {
  it('cannot be updated', async () => {
    const id = byKey('administrator').id;
    expect(await call(admin, 'profiles:update', { profileId: id, rights: ['phoneState.view'] })).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'The Administrator profile holds every right and cannot be edited (rule 1)' },
    });
    expect(await audited('profiles:update')).toMatchObject({ actorName: 'Alex Admin', outcome: 'denied', code: 'FORBIDDEN', targetId: String(id) });
    expect((await server.store.profiles.get(id))!.rights).toHaveLength(21);
  });

  it('cannot be renamed', async () => {
    const r = await call(admin, 'profiles:rename', { profileId: byKey('administrator').id, name: 'Root' });
    expect(r).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: 'The Administrator profile holds every right and cannot be renamed (rule 1)' } });
  });

  it('cannot be deleted', async () => {
    const id = byKey('administrator').id;
    expect(await call(admin, 'profiles:delete', { profileId: id })).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'The Administrator profile holds every right and cannot be deleted (rule 1)' },
    });
    expect(await audited('profiles:delete')).toMatchObject({ outcome: 'denied', code: 'FORBIDDEN', targetId: String(id) });
    expect(await server.store.profiles.get(id)).not.toBeNull();
  });

  it('the Agent profile cannot be deleted either (rule 3)', async () => {
    const r = await call(admin, 'profiles:delete', { profileId: byKey('agent').id });
    expect(r).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'The Agent profile receives the members of deleted profiles and cannot be deleted (rule 3)' },
    });
  });
});

describe('profile names (rule 2)', () => {
  it('a 21-character name is INVALID naming the field, audited', async () => {
    const r = await call(admin, 'profiles:create', { name: 'x'.repeat(21), rights: [], scope: 'own' });
    expect(r).toEqual({ ok: false, error: { code: 'INVALID', message: 'The name may have at most 20 characters.' } });
    expect(await audited('profiles:create')).toMatchObject({ outcome: 'refused', code: 'INVALID', actorName: 'Alex Admin' });
  });

  it('a duplicate name in any case is CONFLICT, audited', async () => {
    const r = await call(admin, 'profiles:create', { name: 'mANAGER', rights: [], scope: 'own' });
    expect(r).toEqual({
      ok: false,
      error: { code: 'CONFLICT', message: 'name: a profile named "Manager" already exists (rule 2: names are unique, ignoring case)' },
    });
    expect(await audited('profiles:create')).toMatchObject({
      outcome: 'refused',
      code: 'CONFLICT',
      detail: { input: { name: 'mANAGER', rights: [], scope: 'own' } },
    });
  });

  it('a rename onto another profile name in another case is CONFLICT', async () => {
    const r = await call(admin, 'profiles:rename', { profileId: byKey('manager').id, name: 'limited admin' });
    expect(r.ok === false && r.error.code).toBe('CONFLICT');
  });

  it('a 20-character name is accepted', async () => {
    const r = await ok(admin, 'profiles:create', { name: 'y'.repeat(20), rights: [], scope: 'own' });
    expect(r.profile.name).toBe('y'.repeat(20));
    await ok(admin, 'profiles:delete', { profileId: r.profile.id });
  });
});

describe('rule 5 over the wire', () => {
  it('a profile with Coach but no Live Monitor is refused naming the right', async () => {
    const r = await call(admin, 'profiles:create', { name: 'Half coach', rights: ['phoneState.view', 'live.coach'], scope: 'managed' });
    expect(r).toEqual({ ok: false, error: { code: 'INVALID', message: 'Coach needs Live Monitor (live.monitor): coaching starts from listening (rule 5)' } });
  });
});

describe('deleting a profile (rule 3)', () => {
  it('moves all of its members to the Agent profile, audited, and tells them their new rights', async () => {
    const created = await ok(admin, 'profiles:create', { name: 'Night Shift', rights: ['phoneState.view', 'live.monitor'], scope: 'managed' });
    const id = created.profile.id;
    const a = await ok(admin, 'users:create', { username: 'night.one', displayName: 'Night One', password: 'night-one-pw', profileId: id });
    const b = await ok(admin, 'users:create', { username: 'night.two', displayName: 'Night Two', password: 'night-two-pw', profileId: id });
    const nightOne = (await connectAs(server.url, 'night.one', 'night-one-pw')).socket;
    const pushed = nextEvent<{ profileName: string; rights: string[] }>(nightOne, 'me:rights');

    const r = await ok(admin, 'profiles:delete', { profileId: id });
    expect(r).toEqual({ profileId: id, movedUserIds: [a.user.id, b.user.id] });
    expect((await server.store.users.get(a.user.id))!.profileId).toBe(byKey('agent').id);
    expect((await server.store.users.get(b.user.id))!.profileName).toBe('Agent');
    expect(await server.store.profiles.get(id)).toBeNull();
    expect(await audited('profiles:delete')).toMatchObject({
      outcome: 'ok',
      code: null,
      targetId: String(id),
      detail: { name: 'Night Shift', movedTo: 'Agent', movedUserIds: [a.user.id, b.user.id] },
    });
    expect((await pushed).profileName).toBe('Agent');
  });
});

describe('profile edits reach members at once (rule 7)', () => {
  it('removing a right pushes me:rights to the profile members', async () => {
    const manager = (await connectAs(server.url, 'manager.sales')).socket;
    const pushed = nextEvent<{ rights: string[] }>(manager, 'me:rights');
    const managerProfile = byKey('manager');
    await ok(admin, 'profiles:update', { profileId: managerProfile.id, rights: managerProfile.rights.filter((r) => r !== 'live.barge') });
    expect((await pushed).rights).not.toContain('live.barge');
    expect(await audited('profiles:update')).toMatchObject({ outcome: 'ok', detail: { added: [], removed: ['live.barge'] } });
    await ok(admin, 'profiles:update', { profileId: managerProfile.id, rights: managerProfile.rights });
  });
});

describe('users and teams', () => {
  it('creates a team and a user in it; a duplicate username is CONFLICT; the last Administrator stays', async () => {
    const team = await ok(admin, 'teams:create', { name: 'Retention' });
    const u = await ok(admin, 'users:create', {
      username: 'Ret.One',
      displayName: 'Ret One',
      password: 'retention-pw',
      profileId: byKey('agent').id,
      memberOf: [team.team.id],
    });
    expect(u.user).toMatchObject({ username: 'ret.one', memberOf: [team.team.id], supervises: [] });
    const dup = await call(admin, 'users:create', { username: 'ret.one', displayName: 'Again', password: 'retention-pw', profileId: byKey('agent').id });
    expect(dup).toEqual({ ok: false, error: { code: 'CONFLICT', message: 'username: a user named "ret.one" already exists' } });
    const adminId = await userId(server, 'admin');
    const last = await call(admin, 'users:update', { userId: adminId, profileId: byKey('agent').id });
    expect(last).toEqual({ ok: false, error: { code: 'CONFLICT', message: 'profileId: this is the last user with the Administrator profile' } });
    const unknownTeam = await call(admin, 'users:update', { userId: u.user.id, memberOf: [9999] });
    expect(unknownTeam).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'memberOf: no team 9999' } });
  });

  it('a password change ends the user other logins', async () => {
    const { socket } = await connectAs(server.url, 'agent.support');
    const gone = nextEvent<string>(socket, 'disconnect');
    await ok(admin, 'users:update', { userId: await userId(server, 'agent.support'), password: 'a-new-password' });
    expect(await gone).toBe('io server disconnect');
  });
});
