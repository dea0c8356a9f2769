import type { PausedSpan } from '@earshot/shared';
import { ActionError } from '../domain/actionError.js';
import { statementCache, type PreparedStatement, type SqliteDatabase } from './openDatabase.js';
import { type RecordingRow, recordingFromRow } from './recordingRows.js';
import type { NewRecording, RecordingRepository, RecordingsPageQuery, StoredRecording } from './repositories.js';

export class SqliteRecordingRepository implements RecordingRepository {
  private readonly sql: (sql: string) => PreparedStatement;

  constructor(db: SqliteDatabase) {
    this.sql = statementCache(db);
  }

  async create(r: NewRecording): Promise<StoredRecording> {
    const { lastInsertRowid } = this.sql(`INSERT INTO recordings (call_id, agent_id, agent_name, queue, direction, remote_number_masked, file, started_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(r.callId, r.agentId, r.agentName, r.queue, r.direction, r.remoteNumberMasked, r.file, r.startedAt);
    return (await this.get(Number(lastInsertRowid)))!;
  }

  async setPausedSpans(id: number, spans: readonly PausedSpan[]): Promise<void> {
    this.sql('UPDATE recordings SET paused_spans = ? WHERE id = ?').run(JSON.stringify(spans), id);
  }

  async finish(id: number, end: { endedAt: number; durationMs: number; bytes: number; pausedSpans: readonly PausedSpan[] }): Promise<StoredRecording> {
    const { changes } = this.sql('UPDATE recordings SET ended_at = ?, duration_ms = ?, bytes = ?, paused_spans = ? WHERE id = ?').run(
      end.endedAt,
      end.durationMs,
      end.bytes,
      JSON.stringify(end.pausedSpans),
      id,
    );
    if (changes === 0) throw new ActionError('NOT_FOUND', `No recording ${id}`);
    return (await this.get(id))!;
  }

  async get(id: number): Promise<StoredRecording | null> {
    const row = this.sql('SELECT * FROM recordings WHERE id = ?').get(id) as RecordingRow | undefined;
    return row ? recordingFromRow(row) : null;
  }

  async page(q: RecordingsPageQuery): Promise<{ recordings: StoredRecording[]; nextBefore: number | null }> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.agentIds !== null) {
      where.push(`agent_id IN (SELECT value FROM json_each(?))`);
      params.push(JSON.stringify(q.agentIds));
    }
    if (q.agentId !== undefined) {
      where.push('agent_id = ?');
      params.push(q.agentId);
    }
    if (q.callId !== undefined) {
      where.push('call_id = ?');
      params.push(q.callId);
    }
    if (q.before !== undefined) {
      where.push('id < ?');
      params.push(q.before);
    }
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const rows = this.sql(`SELECT * FROM recordings ${filter} ORDER BY id DESC LIMIT ?`).all(...params, q.limit + 1) as RecordingRow[];
    const page = rows.slice(0, q.limit).map(recordingFromRow);
    return { recordings: page, nextBefore: rows.length > q.limit ? page[page.length - 1]!.id : null };
  }

  async unfinished(): Promise<StoredRecording[]> {
    return (this.sql('SELECT * FROM recordings WHERE ended_at IS NULL ORDER BY id').all() as RecordingRow[]).map(recordingFromRow);
  }

  async delete(id: number): Promise<void> {
    const { changes } = this.sql('DELETE FROM recordings WHERE id = ?').run(id);
    if (changes === 0) throw new ActionError('NOT_FOUND', `No recording ${id}`);
  }
}
