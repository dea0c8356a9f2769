import { ALERT_KIND_LABEL, type FloorAlert } from '@earshot/shared';
import { formatDuration } from '../board/formatDuration';

/** "45 s", "90 s (1 min 30 s)", "600 s (10 min)": a threshold in seconds, as typed and in minutes. */
export function formatThreshold(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const rest = seconds % 60;
  return `${seconds} s (${Math.floor(seconds / 60)} min${rest ? ` ${rest} s` : ''})`;
}

/** The words of an alert: its kind, and how long against the threshold ("Long hold: 2:05, over 2:00"). */
export function alertWords(alert: FloorAlert): string {
  return `${ALERT_KIND_LABEL[alert.kind]}: ${formatDuration(alert.elapsedMs)}, over ${formatDuration(alert.thresholdMs)}`;
}
