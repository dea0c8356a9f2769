import { describeAuditRecord, type AuditNames, type AuditRecord } from '@earshot/shared';
import { AUDIT_OUTCOME_TEXT } from './auditFilters';

/**
 * The columns of an exported audit log: first what people read (as the page shows it: names, the action in
 * words, details as labelled fields), then the ids and names a program matches on, and the chain's hashes.
 */
export const AUDIT_CSV_COLUMNS = [
  'Record',
  'Time (UTC)',
  'Actor',
  'Action',
  'Target',
  'Outcome',
  'Details',
  'Actor id',
  'Action name',
  'Target type',
  'Target id',
  'Error code',
  'Previous hash',
  'Hash',
] as const;

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

const utc = (at: number) => new Date(at).toISOString().slice(0, 19).replace('T', ' ');

function row(r: AuditRecord, names: AuditNames): string {
  const text = describeAuditRecord(r, names, utc);
  const cells: (string | number | null)[] = [
    r.id,
    utc(r.at),
    r.actorName ?? 'System',
    text.action,
    text.target,
    AUDIT_OUTCOME_TEXT[r.outcome],
    text.fields.map((f) => `${f.label}: ${f.value}`).join('; '),
    r.actorId,
    r.action,
    r.targetType,
    r.targetId,
    r.code,
    r.prevHash,
    r.hash,
  ];
  return cells.map(csvField).join(',');
}

/** The records as a CSV document, lines ended by CRLF as RFC 4180 has it; `names` resolves the ids they hold. */
export function auditCsv(records: readonly AuditRecord[], names: AuditNames): string {
  return `${[AUDIT_CSV_COLUMNS.join(','), ...records.map((r) => row(r, names))].join('\r\n')}\r\n`;
}
