import type { Team } from '@earshot/shared';
import { ActionError } from '../../domain/actionError.js';
import type { TeamRepository } from '../repositories.js';
import { membershipStatements } from './membershipStatements.js';
import type { PostgresDatabase } from './postgresDatabase.js';
import { rethrowConstraint } from './postgresErrors.js';
import { type TeamRow, teamFromRow } from '../teamRows.js';

const SELECT = `SELECT t.id, t.name,
  ARRAY(SELECT user_id FROM team_members WHERE team_id = t.id ORDER BY user_id) AS member_ids,
  ARRAY(SELECT user_id FROM team_supervisors WHERE team_id = t.id ORDER BY user_id) AS supervisor_ids
  FROM teams t`;

export class PostgresTeamRepository implements TeamRepository {
  constructor(private readonly db: PostgresDatabase) {}

  async list(): Promise<Team[]> {
    // As SQLite's NOCASE: by the name folded to lower case, compared byte by byte.
    return (await this.db.read<TeamRow>(`${SELECT} ORDER BY t.name_folded COLLATE "C"`)).map(teamFromRow);
  }

  async get(id: number): Promise<Team | null> {
    const [r] = await this.db.read<TeamRow>(`${SELECT} WHERE t.id = $1`, [id]);
    return r ? teamFromRow(r) : null;
  }

  create(team: { name: string; memberIds: number[]; supervisorIds: number[] }, now: number): Team {
    try {
      return this.db.transaction(() => {
        const id = this.db.query<{ id: number }>('INSERT INTO teams (name, name_folded, created_at) VALUES ($1, $2, $3) RETURNING id', [
          team.name,
          team.name.toLowerCase(),
          now,
        ]).rows[0]!.id;
        const steps = membershipStatements('team_id', id, team.memberIds, team.supervisorIds).filter((s) => !s.sql.startsWith('DELETE'));
        return teamFromRow(this.db.run([...steps, { sql: `${SELECT} WHERE t.id = $1`, params: [id] }]).at(-1)!.rows[0] as unknown as TeamRow);
      });
    } catch (e) {
      rethrowConstraint(e, `A team named "${team.name}"`);
    }
  }

  update(id: number, patch: { name?: string; memberIds?: number[]; supervisorIds?: number[] }): Team {
    try {
      return this.db.transaction(() => {
        const found =
          patch.name !== undefined
            ? this.db.query('UPDATE teams SET name = $2, name_folded = $3 WHERE id = $1', [id, patch.name, patch.name.toLowerCase()])
            : this.db.query('SELECT 1 FROM teams WHERE id = $1', [id]);
        if (found.rowCount === 0) throw new ActionError('NOT_FOUND', `teamId: no team ${id}`);
        const steps = membershipStatements('team_id', id, patch.memberIds, patch.supervisorIds);
        return teamFromRow(this.db.run([...steps, { sql: `${SELECT} WHERE t.id = $1`, params: [id] }]).at(-1)!.rows[0] as unknown as TeamRow);
      });
    } catch (e) {
      if (e instanceof ActionError) throw e;
      rethrowConstraint(e, `A team named "${patch.name}"`);
    }
  }

  delete(id: number): void {
    const { rowCount } = this.db.query('DELETE FROM teams WHERE id = $1', [id]);
    if (rowCount === 0) throw new ActionError('NOT_FOUND', `teamId: no team ${id}`);
  }
}
