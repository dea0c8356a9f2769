import type { CallDirection, PausedSpan } from '@earshot/shared';
import type { StoredRecording } from './repositories.js';

/** A `recordings` row as both stores read it back (`paused_spans` is stored as JSON text). */
export interface RecordingRow {
  id: number;
  call_id: string;
  agent_id: number;
  agent_name: string;
  queue: string;
  direction: CallDirection;
  remote_number_masked: string;
  file: string;
  started_at: number;
  ended_at: number | null;
  duration_ms: number;
  bytes: number;
  paused_spans: string;
}

export const recordingFromRow = (r: RecordingRow): StoredRecording => ({
  id: r.id,
  callId: r.call_id,
  agentId: r.agent_id,
  agentName: r.agent_name,
  queue: r.queue,
  direction: r.direction,
  remoteNumberMasked: r.remote_number_masked,
  file: r.file,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  durationMs: r.duration_ms,
  bytes: r.bytes,
  pausedSpans: JSON.parse(r.paused_spans) as PausedSpan[],
});
