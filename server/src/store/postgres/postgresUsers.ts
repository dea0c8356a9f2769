import type { User } from '@earshot/shared';
import { ActionError } from '../../domain/actionError.js';
import type { Actor } from '../../domain/actor.js';
import type { NewUser, UserPatch, UserRepository } from '../repositories.js';
import { membershipStatements } from './membershipStatements.js';
import type { PostgresDatabase } from './postgresDatabase.js';
import { rethrowConstraint } from './postgresErrors.js';
import { type ActorRow, actorFromRow, type UserRow, userFromRow } from '../userRows.js';

const SELECT = `SELECT u.id, u.username, u.display_name, u.profile_id, p.name AS profile_name, u.created_at, u.extension,
  ARRAY(SELECT team_id FROM team_members WHERE user_id = u.id ORDER BY team_id) AS member_of,
  ARRAY(SELECT team_id FROM team_supervisors WHERE user_id = u.id ORDER BY team_id) AS supervises
  FROM users u JOIN profiles p ON p.id = u.profile_id`;

export class PostgresUserRepository implements UserRepository {
  constructor(private readonly db: PostgresDatabase) {}

  async list(): Promise<User[]> {
    return (await this.db.read<UserRow>(`${SELECT} ORDER BY u.id`)).map(userFromRow);
  }

  async get(id: number): Promise<User | null> {
    const [r] = await this.db.read<UserRow>(`${SELECT} WHERE u.id = $1`, [id]);
    return r ? userFromRow(r) : null;
  }

  private read(id: number): User {
    return userFromRow(this.db.query<UserRow>(`${SELECT} WHERE u.id = $1`, [id]).rows[0]!);
  }

  async existing(list: readonly number[]): Promise<number[]> {
    if (list.length === 0) return [];
    return (await this.db.read<{ id: number }>('SELECT id FROM users WHERE id = ANY($1::bigint[]) ORDER BY id', [list])).map((r) => r.id);
  }

  async credentials(username: string): Promise<{ id: number; passwordHash: string } | null> {
    const [r] = await this.db.read<{ id: number; password_hash: string }>('SELECT id, password_hash FROM users WHERE username = $1', [username]);
    return r ? { id: r.id, passwordHash: r.password_hash } : null;
  }

  create(user: NewUser, now: number): User {
    try {
      return this.db.transaction(() => {
        const id = this.db.query<{ id: number }>(
          'INSERT INTO users (username, display_name, password_hash, profile_id, extension, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
          [user.username, user.displayName, user.passwordHash, user.profileId, user.extension ?? null, now],
        ).rows[0]!.id;
        const steps = membershipStatements('user_id', id, user.memberOf, user.supervises).filter((s) => !s.sql.startsWith('DELETE'));
        return userFromRow(this.db.run([...steps, { sql: `${SELECT} WHERE u.id = $1`, params: [id] }]).at(-1)!.rows[0] as unknown as UserRow);
      });
    } catch (e) {
      rethrowConstraint(e, `A user named "${user.username}", a user with extension ${user.extension ?? '(none)'}, or a team`);
    }
  }

  update(id: number, patch: UserPatch): User {
    try {
      this.db.transaction(() => {
        const params: unknown[] = [id];
        const sets: string[] = [];
        const set = (column: string, value: unknown) => {
          params.push(value);
          sets.push(`${column} = $${params.length}`);
        };
        if (patch.displayName !== undefined) set('display_name', patch.displayName);
        if (patch.passwordHash !== undefined) set('password_hash', patch.passwordHash);
        if (patch.profileId !== undefined) set('profile_id', patch.profileId);
        if (patch.extension !== undefined) set('extension', patch.extension);
        const found = this.db.query(sets.length ? `UPDATE users SET ${sets.join(', ')} WHERE id = $1` : 'SELECT 1 FROM users WHERE id = $1', params);
        if (found.rowCount === 0) throw new ActionError('NOT_FOUND', `userId: no user ${id}`);
        const steps = membershipStatements('user_id', id, patch.memberOf, patch.supervises);
        if (steps.length > 0) this.db.run(steps);
      });
    } catch (e) {
      if (e instanceof ActionError) throw e;
      rethrowConstraint(e, patch.extension ? `A user with extension ${patch.extension}, or that user or team,` : 'That user or team');
    }
    return this.read(id);
  }

  delete(id: number): void {
    const { rowCount } = this.db.query('DELETE FROM users WHERE id = $1', [id]);
    if (rowCount === 0) throw new ActionError('NOT_FOUND', `userId: no user ${id}`);
  }

  async countWithProfile(profileId: number): Promise<number> {
    return (await this.db.read<{ n: number }>('SELECT COUNT(*) AS n FROM users WHERE profile_id = $1', [profileId]))[0]!.n;
  }

  async actor(id: number): Promise<Actor | null> {
    const [r] = await this.db.read<ActorRow & { managed: number[] }>(
      `SELECT u.id, u.display_name, u.profile_id, p.name AS profile_name, p.rights, p.scope,
        ARRAY(SELECT DISTINCT m.user_id FROM team_members m JOIN team_supervisors s ON s.team_id = m.team_id WHERE s.user_id = u.id) AS managed
        FROM users u JOIN profiles p ON p.id = u.profile_id WHERE u.id = $1`,
      [id],
    );
    return r ? actorFromRow(r, r.managed) : null;
  }
}
