import type { User } from '@earshot/shared';
import { ActionError } from '../domain/actionError.js';
import type { Actor } from '../domain/actor.js';
import { groupConcatIds } from './groupConcatIds.js';
import { statementCache, type PreparedStatement, type SqliteDatabase } from './openDatabase.js';
import type { NewUser, UserPatch, UserRepository } from './repositories.js';
import { rethrowConstraint } from './sqliteErrors.js';
import { type ActorRow, actorFromRow, type UserRow, userFromRow } from './userRows.js';

/** The team ids come as `group_concat` text. */
type Row = Omit<UserRow, 'member_of' | 'supervises'> & { member_of: string | null; supervises: string | null };

const toUser = (r: Row): User => userFromRow({ ...r, member_of: groupConcatIds(r.member_of), supervises: groupConcatIds(r.supervises) });

const SELECT = `SELECT u.id, u.username, u.display_name, u.profile_id, p.name AS profile_name, u.created_at, u.extension,
  (SELECT group_concat(team_id) FROM (SELECT team_id FROM team_members WHERE user_id = u.id ORDER BY team_id)) AS member_of,
  (SELECT group_concat(team_id) FROM (SELECT team_id FROM team_supervisors WHERE user_id = u.id ORDER BY team_id)) AS supervises
  FROM users u JOIN profiles p ON p.id = u.profile_id`;

export class SqliteUserRepository implements UserRepository {
  private readonly sql: (sql: string) => PreparedStatement;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly deleted: (userId: number) => void = () => undefined,
  ) {
    this.sql = statementCache(db);
  }

  async list(): Promise<User[]> {
    return (this.sql(`${SELECT} ORDER BY u.id`).all() as Row[]).map(toUser);
  }

  async get(id: number): Promise<User | null> {
    return this.read(id);
  }

  private read(id: number): User | null {
    const r = this.sql(`${SELECT} WHERE u.id = ?`).get(id) as Row | undefined;
    return r ? toUser(r) : null;
  }

  async existing(list: readonly number[]): Promise<number[]> {
    if (list.length === 0) return [];
    const rows = this.sql(`SELECT id FROM users WHERE id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(list)) as { id: number }[];
    return rows.map((r) => r.id);
  }

  async credentials(username: string): Promise<{ id: number; passwordHash: string } | null> {
    const r = this.sql('SELECT id, password_hash FROM users WHERE username = ?').get(username) as { id: number; password_hash: string } | undefined;
    return r ? { id: r.id, passwordHash: r.password_hash } : null;
  }

  create(user: NewUser, now: number): User {
    const run = this.db.transaction(() => {
      const info = this.sql('INSERT INTO users (username, display_name, password_hash, profile_id, extension, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
        user.username,
        user.displayName,
        user.passwordHash,
        user.profileId,
        user.extension ?? null,
        now,
      );
      const id = Number(info.lastInsertRowid);
      this.setTeams(id, user.memberOf, user.supervises);
      return id;
    });
    try {
      return this.read(run())!;
    } catch (e) {
      rethrowConstraint(e, `A user named "${user.username}", a user with extension ${user.extension ?? '(none)'}, or a team`);
    }
  }

  update(id: number, patch: UserPatch): User {
    const run = this.db.transaction(() => {
      if (!this.sql('SELECT 1 FROM users WHERE id = ?').get(id)) throw new ActionError('NOT_FOUND', `userId: no user ${id}`);
      if (patch.displayName !== undefined) this.sql('UPDATE users SET display_name = ? WHERE id = ?').run(patch.displayName, id);
      if (patch.passwordHash !== undefined) this.sql('UPDATE users SET password_hash = ? WHERE id = ?').run(patch.passwordHash, id);
      if (patch.profileId !== undefined) this.sql('UPDATE users SET profile_id = ? WHERE id = ?').run(patch.profileId, id);
      if (patch.extension !== undefined) this.sql('UPDATE users SET extension = ? WHERE id = ?').run(patch.extension, id);
      this.setTeams(id, patch.memberOf, patch.supervises);
    });
    try {
      run();
    } catch (e) {
      if (e instanceof ActionError) throw e;
      rethrowConstraint(e, patch.extension ? `A user with extension ${patch.extension}, or that user or team,` : 'That user or team');
    }
    return this.read(id)!;
  }

  delete(id: number): void {
    const info = this.sql('DELETE FROM users WHERE id = ?').run(id);
    if (info.changes === 0) throw new ActionError('NOT_FOUND', `userId: no user ${id}`);
    this.deleted(id);
  }

  async countWithProfile(profileId: number): Promise<number> {
    return (this.sql('SELECT COUNT(*) AS n FROM users WHERE profile_id = ?').get(profileId) as { n: number }).n;
  }

  async actor(id: number): Promise<Actor | null> {
    const r = this.sql(`SELECT u.id, u.display_name, u.profile_id, p.name AS profile_name, p.rights, p.scope
        FROM users u JOIN profiles p ON p.id = u.profile_id WHERE u.id = ?`).get(id) as ActorRow | undefined;
    if (!r) return null;
    const managed = this.sql(`SELECT DISTINCT m.user_id FROM team_members m JOIN team_supervisors s ON s.team_id = m.team_id WHERE s.user_id = ?`).all(id) as {
      user_id: number;
    }[];
    return actorFromRow(
      r,
      managed.map((m) => m.user_id),
    );
  }

  private setTeams(userId: number, memberOf: number[] | undefined, supervises: number[] | undefined): void {
    if (memberOf !== undefined) {
      this.sql('DELETE FROM team_members WHERE user_id = ?').run(userId);
      const add = this.sql('INSERT OR IGNORE INTO team_members (team_id, user_id) VALUES (?, ?)');
      for (const t of memberOf) add.run(t, userId);
    }
    if (supervises !== undefined) {
      this.sql('DELETE FROM team_supervisors WHERE user_id = ?').run(userId);
      const add = this.sql('INSERT OR IGNORE INTO team_supervisors (team_id, user_id) VALUES (?, ?)');
      for (const t of supervises) add.run(t, userId);
    }
  }
}
