import type { PausedSpan } from '@earshot/shared';
import { ActionError } from '../../domain/actionError.js';
import { type RecordingRow, recordingFromRow } from '../recordingRows.js';
import type { NewRecording, RecordingRepository, RecordingsPageQuery, StoredRecording } from '../repositories.js';
import type { PostgresDatabase } from './postgresDatabase.js';

/** The recorder's writes wait on nothing an action does, so they go through the pool, off the event loop. */
export class PostgresRecordingRepository implements RecordingRepository {
  constructor(private readonly db: PostgresDatabase) {}

  async create(r: NewRecording): Promise<StoredRecording> {
    const [row] = await this.db.read<RecordingRow>(
      `INSERT INTO recordings (call_id, agent_id, agent_name, queue, direction, remote_number_masked, file, started_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
      [r.callId, r.agentId, r.agentName, r.queue, r.direction, r.remoteNumberMasked, r.file, r.startedAt],
    );
    return recordingFromRow(row!);
  }

  async setPausedSpans(id: number, spans: readonly PausedSpan[]): Promise<void> {
    await this.db.read('UPDATE recordings SET paused_spans = $1 WHERE id = $2', [JSON.stringify(spans), id]);
  }

  async finish(id: number, end: { endedAt: number; durationMs: number; bytes: number; pausedSpans: readonly PausedSpan[] }): Promise<StoredRecording> {
    const [row] = await this.db.read<RecordingRow>(
      'UPDATE recordings SET ended_at = $1, duration_ms = $2, bytes = $3, paused_spans = $4 WHERE id = $5 RETURNING *',
      [end.endedAt, end.durationMs, end.bytes, JSON.stringify(end.pausedSpans), id],
    );
    if (!row) throw new ActionError('NOT_FOUND', `No recording ${id}`);
    return recordingFromRow(row);
  }

  async get(id: number): Promise<StoredRecording | null> {
    const [row] = await this.db.read<RecordingRow>('SELECT * FROM recordings WHERE id = $1', [id]);
    return row ? recordingFromRow(row) : null;
  }

  async page(q: RecordingsPageQuery): Promise<{ recordings: StoredRecording[]; nextBefore: number | null }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(clause(`$${params.length}`));
    };
    if (q.agentIds !== null) add((p) => `agent_id = ANY(${p}::bigint[])`, q.agentIds);
    if (q.agentId !== undefined) add((p) => `agent_id = ${p}`, q.agentId);
    if (q.callId !== undefined) add((p) => `call_id = ${p}`, q.callId);
    if (q.before !== undefined) add((p) => `id < ${p}`, q.before);
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    params.push(q.limit + 1);
    const rows = await this.db.read<RecordingRow>(`SELECT * FROM recordings ${filter} ORDER BY id DESC LIMIT $${params.length}`, params);
    const page = rows.slice(0, q.limit).map(recordingFromRow);
    return { recordings: page, nextBefore: rows.length > q.limit ? page[page.length - 1]!.id : null };
  }

  async unfinished(): Promise<StoredRecording[]> {
    return (await this.db.read<RecordingRow>('SELECT * FROM recordings WHERE ended_at IS NULL ORDER BY id')).map(recordingFromRow);
  }

  async delete(id: number): Promise<void> {
    const { rowCount } = await this.db.pool.query('DELETE FROM recordings WHERE id = $1', [id]);
    if (rowCount === 0) throw new ActionError('NOT_FOUND', `No recording ${id}`);
  }
}
