import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AUDIT_ACTION_TEXT, CLIENT_EVENT_NAMES, describeAuditRecord, SERVER_AUDIT_ACTIONS } from '@earshot/shared';
import { describe, expect, it } from 'vitest';
import { agentOnCall } from '../support/floor.js';
import { call, connectAs, freshServerPerTest, ok } from '../support/harness.js';

const t = freshServerPerTest();
const iso = (at: number) => new Date(at).toISOString();

const SERVER_SRC = fileURLToPath(new URL('../../server/src', import.meta.url));
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

describe('the audit log, readable for people', () => {
  it('every action the server writes has words: the client events and each action named in the server’s source', () => {
    const written = new Set<string>(CLIENT_EVENT_NAMES);
    for (const file of sourceFiles(SERVER_SRC)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/action: '([a-z]+:[a-zA-Z]+)'/g)) written.add(m[1]!);
      for (const m of text.matchAll(/onRecording\(req, reply, '([a-z]+:[a-zA-Z]+)'/g)) written.add(m[1]!);
    }
    expect([...written].filter((a) => !(a in AUDIT_ACTION_TEXT))).toEqual([]);
    expect(Object.keys(AUDIT_ACTION_TEXT).sort()).toEqual([...new Set([...CLIENT_EVENT_NAMES, ...SERVER_AUDIT_ACTIONS])].sort());
    expect([...written].sort()).toEqual(Object.keys(AUDIT_ACTION_TEXT).sort());
  });

  it('a supervision reads as names, words and the call by its queue, masked number and start, never its id', async () => {
    const agent = await agentOnCall(t.server, 'agent.billing');
    const c = t.server.floor.phoneOf(agent.userId).call!;
    const manager = await connectAs(t.server.url, 'manager.billing');
    const { session } = await ok(manager.socket, 'supervise:start', { agentId: agent.userId, mode: 'coach' });
    await ok(manager.socket, 'supervise:mode', { sessionId: session.sessionId, mode: 'barge' });
    await ok(manager.socket, 'recording:start', { callId: agent.callId });
    await ok(manager.socket, 'recording:pause', { callId: agent.callId });
    await ok(manager.socket, 'supervise:stop', { sessionId: session.sessionId });
    const agentName = (await t.server.store.users.get(agent.userId))!.displayName;
    const managerName = manager.login.me.displayName;

    const page = await ok(t.admin, 'audit:query', { action: 'supervise:' });
    const call = { queue: c.queue, number: c.remoteNumberMasked, startedAt: c.startedAt };
    expect(page.names).toEqual({
      users: { [String(agent.userId)]: agentName, [String(manager.login.me.id)]: managerName },
      profiles: {},
      teams: {},
      calls: { [agent.callId]: call },
    });
    const callText = `${c.queue} call, ${c.remoteNumberMasked}, ${iso(c.startedAt)}`;
    const shown = page.records.map((r) => ({ actor: r.actorName, ...describeAuditRecord(r, page.names, iso) }));
    expect(shown).toEqual([
      {
        actor: managerName,
        action: 'Supervision ended',
        target: agentName,
        fields: [
          { label: 'Call', value: callText },
          { label: 'Supervisor', value: managerName },
          { label: 'Mode', value: 'Barge' },
          { label: 'Reason', value: 'Stopped by the supervisor' },
        ],
      },
      {
        actor: managerName,
        action: 'Stopped barging in',
        target: agentName,
        fields: [
          { label: 'Call', value: callText },
          { label: 'Agent', value: agentName },
          { label: 'Mode', value: 'Barge' },
        ],
      },
      {
        actor: managerName,
        action: 'Switched to barging in',
        target: agentName,
        fields: [
          { label: 'Mode', value: 'Coach → Barge' },
          { label: 'Call', value: callText },
        ],
      },
      {
        actor: managerName,
        action: 'Started coaching',
        target: agentName,
        fields: [
          { label: 'Call', value: callText },
          { label: 'Mode', value: 'Coach' },
          { label: 'Agent', value: agentName },
        ],
      },
    ]);
    // Nothing a person reads carries the call's or the session's internal id.
    expect(JSON.stringify(shown)).not.toContain(agent.callId);
    expect(JSON.stringify(shown)).not.toContain(session.sessionId);

    const paused = await ok(t.admin, 'audit:query', { action: 'recording:pause' });
    expect(describeAuditRecord(paused.records[0]!, paused.names, iso)).toEqual({
      action: 'Paused recording',
      target: callText,
      fields: [
        { label: 'Call', value: callText },
        { label: 'Agent', value: agentName },
        { label: 'Recording', value: 'Paused' },
      ],
    });
  });

  it('users, profiles and teams by name, a deleted one by the name it had; rights and scopes in words; a refusal says why', async () => {
    const { profiles } = await ok(t.admin, 'profiles:list', {});
    const agentProfile = profiles.find((p) => p.key === 'agent')!;
    const { team } = await ok(t.admin, 'teams:create', { name: 'Night shift' });
    const { user } = await ok(t.admin, 'users:create', {
      username: 'nina',
      displayName: 'Nina Night',
      password: 'long enough',
      profileId: agentProfile.id,
      memberOf: [team.id],
    });
    const { profile } = await ok(t.admin, 'profiles:create', { name: 'Listener', rights: ['phoneState.view', 'live.monitor'], scope: 'managed' });
    await ok(t.admin, 'profiles:update', { profileId: profile.id, scope: 'all' });
    await ok(t.admin, 'users:update', { userId: user.id, profileId: profile.id });
    await ok(t.admin, 'users:delete', { userId: user.id });
    const tooShort = await (await connectAs(t.server.url, 'admin')).socket.emitWithAck('users:create', {
      username: 'x',
      displayName: 'X',
      password: 'short',
      profileId: agentProfile.id,
    });
    expect(tooShort).toEqual({ ok: false, error: { code: 'INVALID', message: 'The password needs at least 8 characters.' } });

    const page = await ok(t.admin, 'audit:query', { action: 'users:' });
    expect(page.names.users[String(user.id)]).toBe('Nina Night');
    expect(page.names.teams).toEqual({ [String(team.id)]: 'Night shift' });
    const shown = page.records.map((r) => describeAuditRecord(r, page.names, iso));
    expect(shown).toEqual([
      // Refused before it was read: only why.
      { action: 'Created user', target: null, fields: [{ label: 'Why', value: 'The password needs at least 8 characters.' }] },
      {
        action: 'Deleted user',
        target: 'Nina Night',
        fields: [
          { label: 'Username', value: 'nina' },
          { label: 'Display name', value: 'Nina Night' },
          { label: 'User', value: 'Nina Night' },
        ],
      },
      {
        action: 'Changed user',
        target: 'Nina Night',
        fields: [
          { label: 'Profile', value: `${agentProfile.name} → Listener` },
          { label: 'User', value: 'Nina Night' },
        ],
      },
      {
        action: 'Created user',
        target: 'Nina Night',
        fields: [
          { label: 'Username', value: 'nina' },
          { label: 'Display name', value: 'Nina Night' },
          { label: 'Password', value: 'set' },
          { label: 'Profile', value: agentProfile.name },
          { label: 'Member of', value: 'Night shift' },
        ],
      },
    ]);
    const profilePage = await ok(t.admin, 'audit:query', { action: 'profiles:' });
    expect(profilePage.records.map((r) => describeAuditRecord(r, profilePage.names, iso))).toEqual([
      {
        action: 'Changed profile rights',
        target: 'Listener',
        fields: [
          { label: 'Rights added', value: 'none' },
          { label: 'Rights removed', value: 'none' },
          { label: 'Scope', value: 'Managed users → All users' },
          { label: 'Profile', value: 'Listener' },
        ],
      },
      {
        action: 'Created profile',
        target: 'Listener',
        fields: [
          { label: 'Name', value: 'Listener' },
          { label: 'Rights', value: 'View Live Phone State, Live Monitor' },
          { label: 'Scope', value: 'Managed users' },
        ],
      },
    ]);
  });

  it("a user's telephony extension: what it named before and after, none when it named nothing", async () => {
    const { users } = await ok(t.admin, 'users:list', {});
    const ava = users.find((u) => u.username === 'agent.billing')!;
    await ok(t.admin, 'users:update', { userId: ava.id, extension: '1001' });
    await ok(t.admin, 'users:update', { userId: ava.id, extension: 'PJSIP/ava' });
    await ok(t.admin, 'users:update', { userId: ava.id, extension: null });
    // Saved unchanged: nothing to note but the request.
    await ok(t.admin, 'users:update', { userId: ava.id, displayName: ava.displayName, extension: null });
    const page = await ok(t.admin, 'audit:query', { action: 'users:update' });
    expect(page.records.map((r) => describeAuditRecord(r, page.names, iso).fields)).toEqual([
      [
        { label: 'User', value: ava.displayName },
        { label: 'Display name', value: ava.displayName },
      ],
      [
        { label: 'Extension', value: 'PJSIP/ava → none' },
        { label: 'User', value: ava.displayName },
      ],
      [
        { label: 'Extension', value: '1001 → PJSIP/ava' },
        { label: 'User', value: ava.displayName },
      ],
      // The demo floor gave Ava the phone PJSIP/1001.
      [
        { label: 'Extension', value: 'PJSIP/1001 → 1001' },
        { label: 'User', value: ava.displayName },
      ],
    ]);
  });

  it('the filters offer users, profiles and teams by name, sorted; only to who reads the log (Change System Settings)', async () => {
    const choices = await ok(t.admin, 'audit:choices', {});
    const users = await t.server.store.users.list();
    expect(choices.users).toEqual(users.map((u) => ({ id: u.id, name: u.displayName })).sort((a, b) => a.name.localeCompare(b.name)));
    expect(choices.teams.map((c) => c.name)).toEqual(['Billing', 'Sales', 'Support']);
    expect(choices.profiles.map((c) => c.name)).toEqual((await t.server.store.profiles.list()).map((p) => p.name).sort((a, b) => a.localeCompare(b)));
    const manager = await connectAs(t.server.url, 'manager.billing');
    expect(await call(manager.socket, 'audit:choices', {})).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'Your profile (Manager) does not hold Change System Settings (system.settings)' },
    });
  });
});
