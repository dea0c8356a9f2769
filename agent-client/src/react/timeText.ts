/** "4:07", "1:02:09": the time a call or a state has lasted. Negative spans (clock skew) show as 0:00. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** "14:05": a server timestamp as a time of day here. */
export function formatClockTime(at: number): string {
  return new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** "29 Nov 2026, 14:05": a server timestamp as a date and time of day here. */
export function formatDateTime(at: number): string {
  return new Date(at).toLocaleString([], { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
}

const UNITS = [
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
] as const;

/** "1 minute 15 seconds", "2 hours 5 minutes": a span in words, its largest unit and the next; under a second, "less than a second". */
export function formatDurationWords(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const first = UNITS.findIndex(([, seconds]) => total >= seconds);
  if (first === -1) return 'less than a second';
  return UNITS.slice(first, first + 2)
    .map(([unit, seconds], i) => [unit, i === 0 ? Math.floor(total / seconds) : Math.floor((total % UNITS[first]![1]) / seconds)] as const)
    .filter(([, n]) => n > 0)
    .map(([unit, n]) => `${n} ${unit}${n === 1 ? '' : 's'}`)
    .join(' ');
}
