import type { AuditRecord } from '@earshot/shared';

/** The columns of an exported audit log: every field of a record, the chain's hashes included. */
export const AUDIT_CSV_COLUMNS = ['id', 'at', 'actorId', 'actorName', 'action', 'targetType', 'targetId', 'outcome', 'code', 'detail', 'prevHash', 'hash'] as const;

/**
 * One CSV field (RFC 4180: quoted when it holds a comma, quote or line break; quotes doubled). A text that
 * a spreadsheet would run as a formula (=, +, -, @, tab, carriage return first) is prefixed with a quote
 * mark: names and details in the log come from users (OWASP "CSV Injection").
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

function row(r: AuditRecord): string {
  const cells: (string | number | null)[] = [
    r.id, new Date(r.at).toISOString(), r.actorId, r.actorName, r.action, r.targetType, r.targetId, r.outcome, r.code,
    JSON.stringify(r.detail), r.prevHash, r.hash,
  ];
  return cells.map(csvField).join(',');
}

/** The records as a CSV document, lines ended by CRLF as RFC 4180 has it. */
export function auditCsv(records: readonly AuditRecord[]): string {
  return `${[AUDIT_CSV_COLUMNS.join(','), ...records.map(row)].join('\r\n')}\r\n`;
}
