import type { AuditOutcome, AuditQuery } from '@earshot/shared';

/** The audit viewer's filter form, as typed. */
export interface AuditFilterForm {
  action: string;
  outcome: AuditOutcome | '';
  actorId: string;
  targetType: string;
  targetId: string;
  /** `datetime-local` values, in the browser's time zone. */
  from: string;
  to: string;
}

export const EMPTY_AUDIT_FILTER: AuditFilterForm = { action: '', outcome: '', actorId: '', targetType: '', targetId: '', from: '', to: '' };

/** What the records' `targetType` holds, for the target filter. */
export const AUDIT_TARGET_TYPES = ['user', 'profile', 'team', 'session', 'call', 'help'] as const;

const localTime = (value: string): number | undefined => {
  if (!value) return undefined;
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? undefined : ms;
};

/**
 * The form as an `audit:query` (without paging): empty fields are left out; the server reads `action`
 * as an exact name or, ending in `:`, as a prefix (`profiles:`).
 */
export function auditQueryOf(form: AuditFilterForm): AuditQuery {
  const query: AuditQuery = {};
  if (form.action.trim()) query.action = form.action.trim();
  if (form.outcome) query.outcome = form.outcome;
  if (form.actorId) query.actorId = Number(form.actorId);
  if (form.targetType) query.targetType = form.targetType;
  if (form.targetId.trim()) query.targetId = form.targetId.trim();
  const from = localTime(form.from);
  const to = localTime(form.to);
  if (from !== undefined) query.from = from;
  if (to !== undefined) query.to = to;
  return query;
}

/** Which detail to read first: why it was refused, then what changed; the request as sent comes last. */
const rank = (key: string) => (key === 'message' ? 0 : key === 'input' ? 2 : 1);

/** One line of a record's detail, for the table; the full JSON is in the export. */
export function detailSummary(detail: Record<string, unknown>, max = 160): string {
  const text = Object.entries(detail)
    .filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0))
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join('; ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
