import {
  assignmentRefusal,
  grantRefusal,
  LIVE_CONTROL_RIGHTS,
  PROFILE_NAME_MAX,
  RIGHT_IDS,
  rightLabel,
  scopeWider,
  type InstalledProfileKey,
  type RightId,
  type Scope,
} from '@earshot/shared';
import { ActionError } from './actionError.js';

/** A profile as the rules see it. */
export interface ProfileDefinition {
  name: string;
  rights: readonly RightId[];
  scope: Scope;
}

export interface StoredProfile extends ProfileDefinition {
  id: number;
  key: InstalledProfileKey | null;
}

/** Who edits or assigns: what they hold bounds what they may give (docs/permissions.md rule 6). */
export interface Grantor {
  rights: ReadonlySet<RightId>;
  scope: Scope;
}

export interface RuleViolation {
  rule: 1 | 2 | 3 | 4 | 5 | 6;
  code: 'INVALID' | 'CONFLICT' | 'FORBIDDEN';
  /** The right whose absence breaks the rule, where one does. */
  missingRight?: RightId;
  message: string;
}

const named = (r: RightId) => `${rightLabel(r)} (${r})`;

function fail(v: RuleViolation): never {
  throw new ActionError(v.code, v.message);
}

/** docs/permissions.md rule 2 (length): 1 to 20 characters once trimmed. */
export function profileNameViolation(name: string): RuleViolation | null {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > PROFILE_NAME_MAX) {
    return {
      rule: 2,
      code: 'INVALID',
      message: `name: a profile name is 1 to ${PROFILE_NAME_MAX} characters (rule 2); "${trimmed.slice(0, 40)}" has ${trimmed.length}`,
    };
  }
  return null;
}

/** docs/permissions.md rule 2 (uniqueness): unique ignoring case, among the other profiles. */
export function profileNameConflict(name: string, others: readonly { id: number; name: string }[], exceptId: number | null): RuleViolation | null {
  const folded = name.trim().toLowerCase();
  const clash = others.find((p) => p.id !== exceptId && p.name.trim().toLowerCase() === folded);
  return clash
    ? { rule: 2, code: 'CONFLICT', message: `name: a profile named "${clash.name}" already exists (rule 2: names are unique, ignoring case)` }
    : null;
}

/**
 * docs/permissions.md rule 5. CallRex: "Call Control is grayed out if Phone is not selected in View"; Coach and Barge need
 * Live Monitor; inContact: Take Over needs "the Agent MAX permission" (here Handle Calls).
 */
export function dependencyViolations(rights: readonly RightId[]): RuleViolation[] {
  const has = new Set(rights);
  const out: RuleViolation[] = [];
  const need = (holder: RightId, missing: RightId, why: string) => {
    if (has.has(holder) && !has.has(missing)) {
      out.push({ rule: 5, code: 'INVALID', missingRight: missing, message: `${rightLabel(holder)} needs ${named(missing)}: ${why} (rule 5)` });
    }
  };
  const phoneWhy = 'live call control needs the phone view';
  for (const r of [...LIVE_CONTROL_RIGHTS, 'recording.initiate', 'recording.pause'] as const) need(r, 'phoneState.view', phoneWhy);
  need('live.coach', 'live.monitor', 'coaching starts from listening');
  need('live.barge', 'live.monitor', 'barging starts from listening');
  need('live.takeOver', 'calls.handle', 'whoever takes over a call must be able to handle calls');
  return out;
}

/** docs/permissions.md rules 2 and 5 on a definition; throws the first broken rule. */
export function assertValidDefinition(def: ProfileDefinition): void {
  const v = profileNameViolation(def.name) ?? dependencyViolations(def.rights)[0];
  if (v) fail(v);
}

/** docs/permissions.md rule 1: the Administrator profile cannot be edited, renamed or deleted. */
export function assertEditable(profile: StoredProfile, what: 'edited' | 'renamed' | 'deleted'): void {
  if (profile.key === 'administrator') {
    fail({ rule: 1, code: 'FORBIDDEN', message: `The ${profile.name} profile holds every right and cannot be ${what} (rule 1)` });
  }
}

/** docs/permissions.md rules 1 and 3: neither the Administrator nor the Agent profile (where members of deleted ones go) can be deleted. */
export function assertDeletable(profile: StoredProfile): void {
  assertEditable(profile, 'deleted');
  if (profile.key === 'agent') {
    fail({ rule: 3, code: 'FORBIDDEN', message: `The ${profile.name} profile receives the members of deleted profiles and cannot be deleted (rule 3)` });
  }
}

/**
 * docs/permissions.md rule 6 for a profile edit: it may not give a right or a scope wider than the editor's own. Only what
 * the edit adds counts: an editor may leave alone (or take away) what they could not have given; and
 * Handle Calls and Live Monitoring Notifications never count (they give no power over anyone).
 */
export function escalationViolation(
  editor: Grantor,
  after: Pick<ProfileDefinition, 'rights' | 'scope'>,
  before: Pick<ProfileDefinition, 'rights' | 'scope'> | null,
): RuleViolation | null {
  const had = new Set(before?.rights ?? []);
  for (const r of RIGHT_IDS) {
    if (after.rights.includes(r) && !had.has(r) && grantRefusal(editor, r)) {
      return { rule: 6, code: 'FORBIDDEN', missingRight: r, message: `You cannot grant ${named(r)}: you do not hold it yourself (rule 6, no escalation)` };
    }
  }
  const widened = before === null || scopeWider(after.scope, before.scope);
  if (widened && scopeWider(after.scope, editor.scope)) {
    return {
      rule: 6,
      code: 'FORBIDDEN',
      message: `You cannot give scope "${after.scope}": it is wider than your own ("${editor.scope}") (rule 6, no escalation)`,
    };
  }
  return null;
}

export function assertNoEscalation(
  editor: Grantor,
  after: Pick<ProfileDefinition, 'rights' | 'scope'>,
  before: Pick<ProfileDefinition, 'rights' | 'scope'> | null,
): void {
  const v = escalationViolation(editor, after, before);
  if (v) fail(v);
}

/**
 * docs/permissions.md rule 6 for assignment: "nobody assigns a profile that holds a right or a wider scope than their own"
 * (Handle Calls and Live Monitoring Notifications aside: the shared rule in @earshot/shared, which the
 * supervisor app shows too). The same bound protects a user who already holds more than the actor:
 * editing them would hand the actor that user's account.
 */
export function assignmentViolation(actor: Grantor, profile: ProfileDefinition, verb = 'assign'): RuleViolation | null {
  const refusal = assignmentRefusal(actor, profile);
  if (!refusal) return null;
  return {
    rule: 6,
    code: 'FORBIDDEN',
    ...(refusal.missingRight ? { missingRight: refusal.missingRight } : {}),
    message: `You cannot ${verb} the ${profile.name} profile: ${refusal.reason} (rule 6, no escalation)`,
  };
}

export function assertAssignable(actor: Grantor, profile: ProfileDefinition, verb = 'assign'): void {
  const v = assignmentViolation(actor, profile, verb);
  if (v) fail(v);
}

/** Rights in catalogue order, without repeats: what is stored and shown. */
export function normalizeRights(rights: readonly RightId[]): RightId[] {
  const set = new Set(rights);
  return RIGHT_IDS.filter((r) => set.has(r));
}
