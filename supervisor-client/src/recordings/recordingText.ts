import { auditCallText, type PausedSpan, type Recording } from '@earshot/shared';
import { formatDuration } from '../board/formatDuration';

/** When a recording started, as the audit log shows times: date and time to the second, in the user's locale. */
export function startedText(at: number): string {
  return new Date(at).toLocaleString([], { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** "1:05", or that it is still going. */
export function durationText(recording: Pick<Recording, 'endedAt' | 'durationMs'>): string {
  return recording.endedAt === null ? 'Recording…' : formatDuration(recording.durationMs);
}

/** The PCI pauses as spans of the recording's own time: "0:12–0:31, 1:02–…"; "None" when it never paused. */
export function pausedSpansText(spans: readonly PausedSpan[]): string {
  if (spans.length === 0) return 'None';
  return spans.map((s) => `${formatDuration(s.fromMs)}–${s.toMs === null ? '…' : formatDuration(s.toMs)}`).join(', ');
}

/**
 * The call a recording is of, as people know it: its queue, the masked number and when it started (the
 * internal call id is not for people: issue "Readable for people").
 */
export function recordingCallText(recording: Pick<Recording, 'queue' | 'remoteNumberMasked' | 'startedAt'>): string {
  return auditCallText({ queue: recording.queue, number: recording.remoteNumberMasked, startedAt: recording.startedAt }, startedText);
}
