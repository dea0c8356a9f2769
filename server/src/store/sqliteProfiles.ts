import type { InstalledProfileKey, Profile, RightId, Scope } from '@earshot/shared';
import { ActionError } from '../domain/actionError.js';
import { statementCache, type PreparedStatement, type SqliteDatabase } from './openDatabase.js';
import { type ProfileRow, profileFromRow } from './profileRows.js';
import type { ProfileRepository } from './repositories.js';
import { rethrowConstraint } from './sqliteErrors.js';

const SELECT = `SELECT p.id, p.key, p.name, p.scope, p.rights,
  (SELECT COUNT(*) FROM users u WHERE u.profile_id = p.id) AS member_count FROM profiles p`;

export class SqliteProfileRepository implements ProfileRepository {
  private readonly sql: (sql: string) => PreparedStatement;

  constructor(private readonly db: SqliteDatabase) {
    this.sql = statementCache(db);
  }

  async list(): Promise<Profile[]> {
    return (this.sql(`${SELECT} ORDER BY p.id`).all() as ProfileRow[]).map(profileFromRow);
  }

  async get(id: number): Promise<Profile | null> {
    return this.read(id);
  }

  private read(id: number): Profile | null {
    const r = this.sql(`${SELECT} WHERE p.id = ?`).get(id) as ProfileRow | undefined;
    return r ? profileFromRow(r) : null;
  }

  async getByKey(key: InstalledProfileKey): Promise<Profile | null> {
    const r = this.sql(`${SELECT} WHERE p.key = ?`).get(key) as ProfileRow | undefined;
    return r ? profileFromRow(r) : null;
  }

  create(def: { key?: InstalledProfileKey; name: string; rights: RightId[]; scope: Scope }, now: number): Profile {
    try {
      const info = this.sql('INSERT INTO profiles (key, name, name_folded, scope, rights, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
        def.key ?? null,
        def.name,
        def.name.toLowerCase(),
        def.scope,
        JSON.stringify(def.rights),
        now,
        now,
      );
      return this.read(Number(info.lastInsertRowid))!;
    } catch (e) {
      rethrowConstraint(e, `A profile named "${def.name}"`);
    }
  }

  update(id: number, patch: { name?: string; rights?: RightId[]; scope?: Scope }, now: number): Profile {
    const sets: string[] = ['updated_at = @now'];
    if (patch.name !== undefined) sets.push('name = @name', 'name_folded = @folded');
    if (patch.rights !== undefined) sets.push('rights = @rights');
    if (patch.scope !== undefined) sets.push('scope = @scope');
    try {
      const info = this.sql(`UPDATE profiles SET ${sets.join(', ')} WHERE id = @id`).run({
        id,
        now,
        name: patch.name ?? null,
        folded: patch.name?.toLowerCase() ?? null,
        rights: patch.rights ? JSON.stringify(patch.rights) : null,
        scope: patch.scope ?? null,
      });
      if (info.changes === 0) throw new ActionError('NOT_FOUND', `profileId: no profile ${id}`);
    } catch (e) {
      if (e instanceof ActionError) throw e;
      rethrowConstraint(e, `A profile named "${patch.name}"`);
    }
    return this.read(id)!;
  }

  deleteMovingMembers(id: number, toProfileId: number): number[] {
    const run = this.db.transaction(() => {
      const moved = (this.sql('SELECT id FROM users WHERE profile_id = ? ORDER BY id').all(id) as { id: number }[]).map((r) => r.id);
      this.sql('UPDATE users SET profile_id = ? WHERE profile_id = ?').run(toProfileId, id);
      const info = this.sql('DELETE FROM profiles WHERE id = ?').run(id);
      if (info.changes === 0) throw new ActionError('NOT_FOUND', `profileId: no profile ${id}`);
      return moved;
    });
    return run();
  }

  async memberIds(id: number): Promise<number[]> {
    return (this.sql('SELECT id FROM users WHERE profile_id = ? ORDER BY id').all(id) as { id: number }[]).map((r) => r.id);
  }
}
