import { RIGHT_IDS, rightLabel, type RightId } from './rights.js';
import { scopeWider, type Scope } from './scopes.js';

/**
 * Rule 6 of docs/permissions.md (no escalation), the pure part the server enforces and the
 * supervisor app shows before anyone submits: one definition for both.
 */

/**
 * Rights that give their holder no power over anyone else: Handle Calls (the holder takes calls) and Live
 * Monitoring Notifications (the holder is told when supervised). They do not count in either docs/permissions.md rule 6 check,
 * so an administrator who holds neither can still create Agents and Privileged Users.
 */
export const POWERLESS_RIGHTS = ['calls.handle', 'live.notifications'] as const satisfies readonly RightId[];

const POWERLESS: ReadonlySet<RightId> = new Set(POWERLESS_RIGHTS);

/** Whether granting or assigning this right needs the actor to hold it (docs/permissions.md rule 6). */
export const countsForEscalation = (right: RightId): boolean => !POWERLESS.has(right);

/** Who assigns or grants: what they hold bounds what they may give. */
export interface EscalationActor {
  rights: ReadonlySet<RightId> | readonly RightId[];
  scope: Scope;
}

export interface EscalationRefusal {
  /** The right the actor lacks, where that is the reason. */
  missingRight?: RightId;
  /** Why, completing "You cannot assign the X profile: ...". */
  reason: string;
}

const holds = (actor: EscalationActor, right: RightId) =>
  actor.rights instanceof Set ? actor.rights.has(right) : (actor.rights as readonly RightId[]).includes(right);

const named = (r: RightId) => `${rightLabel(r)} (${r})`;

/** docs/permissions.md rule 6 for assignment: a profile holding a right (that counts) or a wider scope than the actor's own. */
export function assignmentRefusal(actor: EscalationActor, profile: { rights: readonly RightId[]; scope: Scope }): EscalationRefusal | null {
  const missing = RIGHT_IDS.find((r) => countsForEscalation(r) && profile.rights.includes(r) && !holds(actor, r));
  if (missing) return { missingRight: missing, reason: `it holds ${named(missing)}, which you do not` };
  if (scopeWider(profile.scope, actor.scope)) return { reason: `its scope "${profile.scope}" is wider than your own ("${actor.scope}")` };
  return null;
}

/** docs/permissions.md rule 6 for a profile edit: a right (that counts) the editor lacks, and which the profile did not already hold. */
export function grantRefusal(actor: EscalationActor, right: RightId): EscalationRefusal | null {
  return countsForEscalation(right) && !holds(actor, right) ? { missingRight: right, reason: `you do not hold ${named(right)} yourself` } : null;
}
