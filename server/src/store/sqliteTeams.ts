import type { Team } from '@earshot/shared';
import { ActionError } from '../domain/actionError.js';
import { groupConcatIds } from './groupConcatIds.js';
import { statementCache, type PreparedStatement, type SqliteDatabase } from './openDatabase.js';
import type { TeamRepository } from './repositories.js';
import { rethrowConstraint } from './sqliteErrors.js';
import { type TeamRow, teamFromRow } from './teamRows.js';

/** The people's ids come as `group_concat` text. */
type Row = Omit<TeamRow, 'member_ids' | 'supervisor_ids'> & { member_ids: string | null; supervisor_ids: string | null };

const SELECT = `SELECT t.id, t.name,
  (SELECT group_concat(user_id) FROM (SELECT user_id FROM team_members WHERE team_id = t.id ORDER BY user_id)) AS member_ids,
  (SELECT group_concat(user_id) FROM (SELECT user_id FROM team_supervisors WHERE team_id = t.id ORDER BY user_id)) AS supervisor_ids
  FROM teams t`;

const toTeam = (r: Row): Team => teamFromRow({ ...r, member_ids: groupConcatIds(r.member_ids), supervisor_ids: groupConcatIds(r.supervisor_ids) });

export class SqliteTeamRepository implements TeamRepository {
  private readonly sql: (sql: string) => PreparedStatement;

  constructor(private readonly db: SqliteDatabase) {
    this.sql = statementCache(db);
  }

  async list(): Promise<Team[]> {
    return (this.sql(`${SELECT} ORDER BY t.name COLLATE NOCASE`).all() as Row[]).map(toTeam);
  }

  async get(id: number): Promise<Team | null> {
    return this.read(id);
  }

  private read(id: number): Team | null {
    const r = this.sql(`${SELECT} WHERE t.id = ?`).get(id) as Row | undefined;
    return r ? toTeam(r) : null;
  }

  create(team: { name: string; memberIds: number[]; supervisorIds: number[] }, now: number): Team {
    const run = this.db.transaction(() => {
      const info = this.sql('INSERT INTO teams (name, name_folded, created_at) VALUES (?, ?, ?)').run(team.name, team.name.toLowerCase(), now);
      const id = Number(info.lastInsertRowid);
      this.setPeople(id, team.memberIds, team.supervisorIds);
      return id;
    });
    try {
      return this.read(run())!;
    } catch (e) {
      rethrowConstraint(e, `A team named "${team.name}"`);
    }
  }

  update(id: number, patch: { name?: string; memberIds?: number[]; supervisorIds?: number[] }): Team {
    const run = this.db.transaction(() => {
      if (!this.sql('SELECT 1 FROM teams WHERE id = ?').get(id)) throw new ActionError('NOT_FOUND', `teamId: no team ${id}`);
      if (patch.name !== undefined) this.sql('UPDATE teams SET name = ?, name_folded = ? WHERE id = ?').run(patch.name, patch.name.toLowerCase(), id);
      this.setPeople(id, patch.memberIds, patch.supervisorIds);
    });
    try {
      run();
    } catch (e) {
      if (e instanceof ActionError) throw e;
      rethrowConstraint(e, `A team named "${patch.name}"`);
    }
    return this.read(id)!;
  }

  delete(id: number): void {
    const info = this.sql('DELETE FROM teams WHERE id = ?').run(id);
    if (info.changes === 0) throw new ActionError('NOT_FOUND', `teamId: no team ${id}`);
  }

  private setPeople(teamId: number, memberIds: number[] | undefined, supervisorIds: number[] | undefined): void {
    if (memberIds !== undefined) {
      this.sql('DELETE FROM team_members WHERE team_id = ?').run(teamId);
      const add = this.sql('INSERT OR IGNORE INTO team_members (team_id, user_id) VALUES (?, ?)');
      for (const u of memberIds) add.run(teamId, u);
    }
    if (supervisorIds !== undefined) {
      this.sql('DELETE FROM team_supervisors WHERE team_id = ?').run(teamId);
      const add = this.sql('INSERT OR IGNORE INTO team_supervisors (team_id, user_id) VALUES (?, ?)');
      for (const u of supervisorIds) add.run(teamId, u);
    }
  }
}
