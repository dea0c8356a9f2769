import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { hashToken } from '../../server/src/auth/authService.js';
import { installProfiles } from '../../server/src/bootstrap/installProfiles.js';
import { DATABASE_FILE } from '../../server/src/store/openDatabase.js';
import { hashPassword } from '../../server/src/store/passwords.js';
import { openSqliteStore } from '../../server/src/store/sqliteStore.js';
import type { FloorShape } from './benchPlan.js';

export interface PreparedStore {
  dataDir: string;
  /** user id → a login token valid for the whole run (its hash is in login_sessions). */
  tokens: Map<number, string>;
}

const BENCH_PASSWORD = 'bench-password-not-secret';

/**
 * A new data directory holding the bench floor: the installed profiles (as the server would create them),
 * then users, teams and one login session per user, written in bulk straight into SQLite. Logging 10,000
 * users in over HTTP would measure scrypt and the login throttle, not the live floor.
 */
export async function prepareStore(shape: FloorShape, now = Date.now()): Promise<PreparedStore> {
  const dataDir = mkdtempSync(join(tmpdir(), 'earshot-bench-'));
  const { store } = openSqliteStore(dataDir);
  await installProfiles(store, now);
  const profileId = async (key: 'agent' | 'manager' | 'limitedAdmin') => (await store.profiles.getByKey(key))!.id;
  const agentProfile = await profileId('agent');
  const managerProfile = await profileId('manager');
  const allScopeProfile = await profileId('limitedAdmin');
  store.close();

  // One hash for everyone (the cheapest cost the server accepts): nobody logs in with it during the bench.
  const passwordHash = await hashPassword(BENCH_PASSWORD, 1024);
  const tokens = new Map<number, string>();
  const db = new Database(join(dataDir, DATABASE_FILE));
  db.pragma('journal_mode = WAL');
  const insertUser = db.prepare('INSERT INTO users (id, username, display_name, password_hash, profile_id, created_at) VALUES (?, ?, ?, ?, ?, ?)');
  const insertTeam = db.prepare('INSERT INTO teams (id, name, name_folded, created_at) VALUES (?, ?, ?, ?)');
  const insertMember = db.prepare('INSERT INTO team_members (team_id, user_id) VALUES (?, ?)');
  const insertSupervisor = db.prepare('INSERT INTO team_supervisors (team_id, user_id) VALUES (?, ?)');
  const insertSession = db.prepare('INSERT INTO login_sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)');
  const expiresAt = now + 24 * 3600_000;
  db.transaction(() => {
    for (const t of shape.teamIds) insertTeam.run(t, `Team ${t}`, `team ${t}`, now);
    const users = [
      ...shape.agents.map((a) => ({ ...a, profile: agentProfile })),
      ...shape.supervisors.map((s) => ({ ...s, profile: s.scope === 'all' ? allScopeProfile : managerProfile })),
    ];
    for (const u of users) {
      insertUser.run(u.id, u.username, u.displayName, passwordHash, u.profile, now);
      const token = randomBytes(24).toString('base64url');
      tokens.set(u.id, token);
      insertSession.run(hashToken(token), u.id, now, expiresAt);
    }
    for (const a of shape.agents) insertMember.run(a.teamId, a.id);
    for (const s of shape.supervisors) for (const t of s.teamIds) insertSupervisor.run(t, s.id);
  })();
  db.close();
  return { dataDir, tokens };
}
