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
export const AUDIT_TARGET_TYPES = ['user', 'profile', 'team', 'session', 'call', 'recording', 'help'] as const;

export const AUDIT_TARGET_TYPE_TEXT: Record<(typeof AUDIT_TARGET_TYPES)[number], string> = {
  user: 'A user', profile: 'A profile', team: 'A team', session: 'A supervision', call: 'A call', recording: 'A recording', help: 'A help request',
};

/** An outcome in words: refused for want of a right (denied) or for what was asked (refused). */
export const AUDIT_OUTCOME_TEXT: Record<AuditOutcome, string> = { ok: 'Done', denied: 'Not allowed', refused: 'Refused', error: 'Failed' };

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
