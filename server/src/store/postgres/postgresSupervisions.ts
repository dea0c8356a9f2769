import type { SupervisionMode } from '@earshot/shared';
import { openSupervisionFromRow, type OpenSupervisionRow } from '../supervisionRows.js';
import type { OpenSupervision, SupervisionRepository, UndeliveredEndEvent } from '../repositories.js';
import type { PostgresDatabase } from './postgresDatabase.js';

export class PostgresSupervisionRepository implements SupervisionRepository {
  constructor(private readonly db: PostgresDatabase) {}

  opened(s: OpenSupervision): void {
    this.db.query(
      `INSERT INTO open_supervisions (session_id, call_id, agent_id, supervisor_id, supervisor_name, mode, started_at, mode_since, node_id)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [s.sessionId, s.callId, s.agentId, s.supervisor.id, s.supervisor.name, s.mode, s.startedAt, s.modeSince, s.nodeId],
    );
  }

  modeChanged(sessionId: string, mode: SupervisionMode, since: number): void {
    this.db.query('UPDATE open_supervisions SET mode = $1, mode_since = $2 WHERE session_id = $3', [mode, since, sessionId]);
  }

  closed(sessionId: string): void {
    this.db.query('DELETE FROM open_supervisions WHERE session_id = $1', [sessionId]);
  }

  leftOpen(nodeId?: string): OpenSupervision[] {
    const { rows } =
      nodeId === undefined
        ? this.db.query<OpenSupervisionRow>('SELECT * FROM open_supervisions ORDER BY started_at, session_id COLLATE "C"')
        : this.db.query<OpenSupervisionRow>('SELECT * FROM open_supervisions WHERE node_id = $1 ORDER BY started_at, session_id COLLATE "C"', [nodeId]);
    return rows.map(openSupervisionFromRow);
  }

  keepForDelivery(userId: number, event: UndeliveredEndEvent, payload: unknown, now: number): void {
    this.db.query('INSERT INTO undelivered_ends (user_id, event, payload, created_at) VALUES ($1, $2, $3, $4)', [userId, event, JSON.stringify(payload), now]);
  }

  /** One statement takes and removes them: two nodes taking at once share nothing out twice. */
  takeUndelivered(userId: number, event: UndeliveredEndEvent): unknown[] {
    const { rows } = this.db.query<{ id: number; payload: string }>('DELETE FROM undelivered_ends WHERE user_id = $1 AND event = $2 RETURNING id, payload', [
      userId,
      event,
    ]);
    return rows.sort((a, b) => a.id - b.id).map((r) => JSON.parse(r.payload) as unknown);
  }
}
