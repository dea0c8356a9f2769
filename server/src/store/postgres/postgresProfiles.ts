import type { InstalledProfileKey, Profile, RightId, Scope } from '@earshot/shared';
import { ActionError } from '../../domain/actionError.js';
import { type ProfileRow, profileFromRow } from '../profileRows.js';
import type { ProfileRepository } from '../repositories.js';
import type { PostgresDatabase } from './postgresDatabase.js';
import { rethrowConstraint } from './postgresErrors.js';

const COLUMNS = 'p.id, p.key, p.name, p.scope, p.rights, (SELECT COUNT(*) FROM users u WHERE u.profile_id = p.id) AS member_count';
const SELECT = `SELECT ${COLUMNS} FROM profiles p`;

export class PostgresProfileRepository implements ProfileRepository {
  constructor(private readonly db: PostgresDatabase) {}

  async list(): Promise<Profile[]> {
    return (await this.db.read<ProfileRow>(`${SELECT} ORDER BY p.id`)).map(profileFromRow);
  }

  async get(id: number): Promise<Profile | null> {
    const [r] = await this.db.read<ProfileRow>(`${SELECT} WHERE p.id = $1`, [id]);
    return r ? profileFromRow(r) : null;
  }

  async getByKey(key: InstalledProfileKey): Promise<Profile | null> {
    const [r] = await this.db.read<ProfileRow>(`${SELECT} WHERE p.key = $1`, [key]);
    return r ? profileFromRow(r) : null;
  }

  create(def: { key?: InstalledProfileKey; name: string; rights: RightId[]; scope: Scope }, now: number): Profile {
    try {
      const [inserted] = this.db.guarded([
        {
          sql: `INSERT INTO profiles AS p (key, name, name_folded, scope, rights, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)
            RETURNING ${COLUMNS}`,
          params: [def.key ?? null, def.name, def.name.toLowerCase(), def.scope, JSON.stringify(def.rights), now],
        },
      ]);
      return profileFromRow(inserted!.rows[0] as unknown as ProfileRow);
    } catch (e) {
      rethrowConstraint(e, `A profile named "${def.name}"`);
    }
  }

  update(id: number, patch: { name?: string; rights?: RightId[]; scope?: Scope }, now: number): Profile {
    const params: unknown[] = [id, now];
    const sets: string[] = ['updated_at = $2'];
    const set = (column: string, value: unknown) => {
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    };
    if (patch.name !== undefined) {
      set('name', patch.name);
      set('name_folded', patch.name.toLowerCase());
    }
    if (patch.rights !== undefined) set('rights', JSON.stringify(patch.rights));
    if (patch.scope !== undefined) set('scope', patch.scope);
    let rows: ProfileRow[];
    try {
      rows = this.db.guarded([{ sql: `UPDATE profiles AS p SET ${sets.join(', ')} WHERE p.id = $1 RETURNING ${COLUMNS}`, params }])[0]!
        .rows as unknown as ProfileRow[];
    } catch (e) {
      rethrowConstraint(e, `A profile named "${patch.name}"`);
    }
    if (rows.length === 0) throw new ActionError('NOT_FOUND', `profileId: no profile ${id}`);
    return profileFromRow(rows[0]!);
  }

  deleteMovingMembers(id: number, toProfileId: number): number[] {
    return this.db.transaction(() => {
      const [moved, , deleted] = this.db.run([
        { sql: 'SELECT id FROM users WHERE profile_id = $1 ORDER BY id', params: [id] },
        { sql: 'UPDATE users SET profile_id = $1 WHERE profile_id = $2', params: [toProfileId, id] },
        { sql: 'DELETE FROM profiles WHERE id = $1', params: [id] },
      ]);
      if (deleted!.rowCount === 0) throw new ActionError('NOT_FOUND', `profileId: no profile ${id}`);
      return moved!.rows.map((r) => r.id as number);
    });
  }

  async memberIds(id: number): Promise<number[]> {
    return (await this.db.read<{ id: number }>('SELECT id FROM users WHERE profile_id = $1 ORDER BY id', [id])).map((r) => r.id);
  }
}
