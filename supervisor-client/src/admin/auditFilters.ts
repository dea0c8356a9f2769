import type { AuditChoice, AuditChoices, AuditOutcome, AuditQuery } from '@earshot/shared';

/** The audit viewer's filter form, as typed. */
export interface AuditFilterForm {
  action: string;
  outcome: AuditOutcome | '';
  /** A user's id, chosen by name. */
  actorId: string;
  targetType: string;
  /** With a user, profile or team target: its id, chosen by name. */
  targetId: string;
  /** `datetime-local` values, in the browser's time zone. */
  from: string;
  to: string;
}

export const EMPTY_AUDIT_FILTER: AuditFilterForm = { action: '', outcome: '', actorId: '', targetType: '', targetId: '', from: '', to: '' };

/** What the records' `targetType` holds, for the target filter. */
export const AUDIT_TARGET_TYPES = ['user', 'profile', 'team', 'session', 'call', 'recording', 'help'] as const;

export const AUDIT_TARGET_TYPE_TEXT: Record<(typeof AUDIT_TARGET_TYPES)[number], string> = {
  user: 'A user',
  profile: 'A profile',
  team: 'A team',
  session: 'A supervision',
  call: 'A call',
  recording: 'A recording',
  help: 'A help request',
};

const NAMED_TARGETS = {
  user: { kind: 'users', label: 'Which user', any: 'Any user' },
  profile: { kind: 'profiles', label: 'Which profile', any: 'Any profile' },
  team: { kind: 'teams', label: 'Which team', any: 'Any team' },
} as const satisfies Record<string, { kind: keyof AuditChoices; label: string; any: string }>;

/**
 * The names to pick a target from, when the target type is a user, a profile or a team; null for the other
 * types, whose ids mean nothing to people (a supervision, a call, a recording, a help request).
 */
export function auditTargetChoices(choices: AuditChoices | null, targetType: string): { label: string; any: string; choices: readonly AuditChoice[] } | null {
  const named = (NAMED_TARGETS as Record<string, (typeof NAMED_TARGETS)[keyof typeof NAMED_TARGETS]>)[targetType];
  return named ? { label: named.label, any: named.any, choices: choices?.[named.kind] ?? [] } : null;
}

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
