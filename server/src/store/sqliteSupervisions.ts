import type { SupervisionMode } from '@earshot/shared';
import { openSupervisionFromRow, type OpenSupervisionRow } from './supervisionRows.js';
import { statementCache, type PreparedStatement, type SqliteDatabase } from './openDatabase.js';
import type { OpenSupervision, SupervisionRepository, UndeliveredEndEvent } from './repositories.js';

export class SqliteSupervisionRepository implements SupervisionRepository {
  private readonly sql: (sql: string) => PreparedStatement;
  private readonly takeTx;

  constructor(db: SqliteDatabase) {
    this.sql = statementCache(db);
    this.takeTx = db.transaction((userId: number, event: UndeliveredEndEvent): unknown[] => {
      const rows = this.sql('SELECT id, payload FROM undelivered_ends WHERE user_id = ? AND event = ? ORDER BY id').all(userId, event) as {
        id: number;
        payload: string;
      }[];
      if (rows.length > 0) this.sql('DELETE FROM undelivered_ends WHERE user_id = ? AND event = ? AND id <= ?').run(userId, event, rows.at(-1)!.id);
      return rows.map((r) => JSON.parse(r.payload) as unknown);
    });
  }

  opened(s: OpenSupervision): void {
    this.sql(`INSERT INTO open_supervisions (session_id, call_id, agent_id, supervisor_id, supervisor_name, mode, started_at, mode_since, node_id)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
      s.sessionId,
      s.callId,
      s.agentId,
      s.supervisor.id,
      s.supervisor.name,
      s.mode,
      s.startedAt,
      s.modeSince,
      s.nodeId,
    );
  }

  modeChanged(sessionId: string, mode: SupervisionMode, since: number): void {
    this.sql('UPDATE open_supervisions SET mode = ?, mode_since = ? WHERE session_id = ?').run(mode, since, sessionId);
  }

  closed(sessionId: string): void {
    this.sql('DELETE FROM open_supervisions WHERE session_id = ?').run(sessionId);
  }

  leftOpen(nodeId?: string): OpenSupervision[] {
    const rows = (
      nodeId === undefined
        ? this.sql('SELECT * FROM open_supervisions ORDER BY started_at, session_id').all()
        : this.sql('SELECT * FROM open_supervisions WHERE node_id = ? ORDER BY started_at, session_id').all(nodeId)
    ) as OpenSupervisionRow[];
    return rows.map(openSupervisionFromRow);
  }

  keepForDelivery(userId: number, event: UndeliveredEndEvent, payload: unknown, now: number): void {
    this.sql('INSERT INTO undelivered_ends (user_id, event, payload, created_at) VALUES (?, ?, ?, ?)').run(userId, event, JSON.stringify(payload), now);
  }

  takeUndelivered(userId: number, event: UndeliveredEndEvent): unknown[] {
    return this.takeTx(userId, event);
  }
}
