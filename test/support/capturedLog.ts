import type { FloorLogger, LogFields } from '../../server/src/live/floorPublisher.js';

/** A logger that keeps each line as `level message {fields}`; an error line says whether it carried a stack. */
export function capturedLog(): { lines: string[]; log: FloorLogger } {
  const lines: string[] = [];
  const line = (level: string, message: string, fields?: LogFields) => lines.push(`${level} ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}`);
  return {
    lines,
    log: {
      info: (m, f) => line('info', m, f),
      warn: (m, f) => line('warn', m, f),
      debug: () => {},
      error: (e, m, f) => line(e instanceof Error && e.stack ? 'error+stack' : 'error', `${m}: ${e instanceof Error ? e.message : String(e)}`, f),
    },
  };
}

/** A logger that keeps nothing. */
export const quietLog: FloorLogger = { info: () => {}, warn: () => {}, debug: () => {}, error: () => {} };
