import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { hashToken } from '../../server/src/auth/authService.js';
import { installProfiles } from '../../server/src/bootstrap/installProfiles.js';
import { DATABASE_FILE } from '../../server/src/store/openDatabase.js';
import { hashPassword } from '../../server/src/store/passwords.js';
import { openPostgresStore } from '../../server/src/store/postgres/postgresStore.js';
import type { Store } from '../../server/src/store/repositories.js';
import { openSqliteStore } from '../../server/src/store/sqliteStore.js';
import type { FloorShape } from './benchPlan.js';

export interface PreparedStore {
  dataDir: string;
  /** user id → a login token valid for the whole run (its hash is in login_sessions). */
  tokens: Map<number, string>;
}

const BENCH_PASSWORD = 'bench-password-not-secret';

/** The bench floor as table rows, whichever store takes them: users, teams, memberships and one login session per user. */
interface FloorRows {
  tokens: Map<number, string>;
  users: [id: number, username: string, displayName: string, passwordHash: string, profileId: number, createdAt: number][];
  teams: [id: number, name: string, nameFolded: string, createdAt: number][];
  members: [teamId: number, userId: number][];
  supervisors: [teamId: number, userId: number][];
  sessions: [tokenHash: string, userId: number, createdAt: number, expiresAt: number][];
}

/** Installs the profiles (as the server would create them) and answers the floor's rows under their ids. */
async function floorRows(store: Store, shape: FloorShape, now: number): Promise<FloorRows> {
  await installProfiles(store, now);
  const profileId = async (key: 'agent' | 'manager' | 'limitedAdmin') => (await store.profiles.getByKey(key))!.id;
  const agentProfile = await profileId('agent');
  const managerProfile = await profileId('manager');
  const allScopeProfile = await profileId('limitedAdmin');
  // One hash for everyone (the cheapest cost the server accepts): nobody logs in with it during the bench.
  const passwordHash = await hashPassword(BENCH_PASSWORD, 1024);
  const expiresAt = now + 24 * 3600_000;
  const rows: FloorRows = { tokens: new Map(), users: [], teams: [], members: [], supervisors: [], sessions: [] };
  for (const t of shape.teamIds) rows.teams.push([t, `Team ${t}`, `team ${t}`, now]);
  const users = [
    ...shape.agents.map((a) => ({ ...a, profile: agentProfile })),
    ...shape.supervisors.map((s) => ({ ...s, profile: s.scope === 'all' ? allScopeProfile : managerProfile })),
  ];
  for (const u of users) {
    rows.users.push([u.id, u.username, u.displayName, passwordHash, u.profile, now]);
    const token = randomBytes(24).toString('base64url');
    rows.tokens.set(u.id, token);
    rows.sessions.push([hashToken(token), u.id, now, expiresAt]);
  }
  for (const a of shape.agents) rows.members.push([a.teamId, a.id]);
  for (const s of shape.supervisors) for (const t of s.teamIds) rows.supervisors.push([t, s.id]);
  return rows;
}

const TABLES = [
  ['teams', 'id, name, name_folded, created_at', 'teams'],
  ['users', 'id, username, display_name, password_hash, profile_id, created_at', 'users'],
  ['team_members', 'team_id, user_id', 'members'],
  ['team_supervisors', 'team_id, user_id', 'supervisors'],
  ['login_sessions', 'token_hash, user_id, created_at, expires_at', 'sessions'],
] as const;

/**
 * A new data directory holding the bench floor: the installed profiles (as the server would create them),
 * then users, teams and one login session per user, written in bulk straight into SQLite. Logging 10,000
 * users in over HTTP would measure scrypt and the login throttle, not the live floor.
 */
export async function prepareStore(shape: FloorShape, now = Date.now()): Promise<PreparedStore> {
  // One level down: the audit anchor's key and checkpoint files, which the server keeps beside its data
  // directory, land in the same temporary folder and go with it (`removePreparedStore`).
  const dataDir = join(mkdtempSync(join(tmpdir(), 'earshot-bench-')), 'data');
  const { store } = openSqliteStore(dataDir);
  const rows = await floorRows(store, shape, now);
  store.close();
  const db = new Database(join(dataDir, DATABASE_FILE));
  db.pragma('journal_mode = WAL');
  db.transaction(() => {
    for (const [table, columns, key] of TABLES) {
      const insert = db.prepare(`INSERT INTO ${table} (${columns}) VALUES (${columns.split(',').map(() => '?')})`);
      for (const row of rows[key]) insert.run(...row);
    }
  })();
  db.close();
  return { dataDir, tokens: rows.tokens };
}

/**
 * The same floor in an empty PostgreSQL database (migrated and its profiles installed by the server's own
 * code, the rest in bulk, a thousand rows a statement): the login tokens by user id.
 */
export async function preparePostgresStore(url: string, shape: FloorShape, now = Date.now()): Promise<Map<number, string>> {
  const { store } = openPostgresStore(url);
  let rows: FloorRows;
  try {
    rows = await floorRows(store, shape, now);
  } finally {
    store.close();
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    for (const [table, columns, key] of TABLES) {
      const width = columns.split(',').length;
      const list = rows[key] as readonly (string | number)[][];
      for (let at = 0; at < list.length; at += 1000) {
        const chunk = list.slice(at, at + 1000);
        const values = chunk.map((_, r) => `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(', ')})`).join(', ');
        await client.query(`INSERT INTO ${table} (${columns}) VALUES ${values}`, chunk.flat());
      }
    }
    // The ids were given here, not by the identity columns: they go on after the highest.
    for (const table of ['teams', 'users']) await client.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT max(id) FROM ${table}))`);
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
  return rows.tokens;
}

/** Removes a prepared data directory with what the server wrote beside it (the audit anchor's files). */
export function removePreparedStore(dataDir: string): void {
  rmSync(dirname(dataDir), { recursive: true, force: true });
}
