import { assignmentRefusal, grantRefusal, scopeWider, type MeRights, type Profile, type RightId, type Scope, SCOPES } from '@earshot/shared';

/**
 * What an administrator may touch on the admin pages. The server enforces docs/permissions.md rules 1, 3 and
 * 6 on every save; these checks keep controls that could only be refused off the screen, or disabled with
 * the rule that forbids them.
 */

export interface CellAccess {
  editable: boolean;
  /** Why the cell is locked, shown as its description. */
  reason: string | null;
}

/** docs/permissions.md rule 1: the Administrator profile cannot be edited. Rule 6: only a holder of Change System Settings edits. */
export function profileLock(me: MeRights, profile: Pick<Profile, 'locked' | 'name'>): string | null {
  if (!me.rights.includes('system.settings')) return 'Editing profiles needs Change System Settings';
  if (profile.locked) return `${profile.name} holds every right and cannot be edited (rule 1)`;
  return null;
}

/**
 * One cell of the matrix. docs/permissions.md rule 6: an edit may not give a right the editor lacks; taking one away (or
 * leaving one alone) is allowed, so a checked cell stays editable.
 */
export function matrixCell(me: MeRights, profile: Pick<Profile, 'locked' | 'name' | 'rights'>, right: RightId): CellAccess {
  const lock = profileLock(me, profile);
  if (lock) return { editable: false, reason: lock };
  if (!profile.rights.includes(right) && grantRefusal(me, right)) {
    return { editable: false, reason: 'You cannot grant a right you do not hold (rule 6)' };
  }
  return { editable: true, reason: null };
}

/** docs/permissions.md rule 6: scopes no wider than the editor's own, plus the profile's current one (which may stay). */
export function scopeChoices(me: MeRights, current: Scope): Scope[] {
  return SCOPES.filter((s) => s === current || !scopeWider(s, me.scope));
}

/** docs/permissions.md rules 1 and 3: neither the Administrator nor the Agent profile (where members of deleted ones go) is deleted. */
export function profileDeletable(me: MeRights, profile: Pick<Profile, 'locked' | 'key'>): boolean {
  return me.rights.includes('system.settings') && !profile.locked && profile.key !== 'agent';
}

/**
 * docs/permissions.md rule 6: nobody assigns a profile that holds a right (Handle Calls and Live Monitoring Notifications
 * aside) or a wider scope than their own. Why not, as the form shows it; null when it may be assigned.
 * The same shared rule the server enforces.
 */
export function assignRefusal(me: MeRights, profile: Pick<Profile, 'rights' | 'scope'>): string | null {
  const refusal = assignmentRefusal(me, profile);
  return refusal ? `you cannot assign it: ${refusal.reason} (rule 6)` : null;
}

export function assignable(me: MeRights, profile: Pick<Profile, 'rights' | 'scope'>): boolean {
  return assignRefusal(me, profile) === null;
}

export interface UserActions {
  edit: boolean;
  delete: boolean;
}

/**
 * Add/Edit Users edits; Delete Users deletes (not oneself). The server also refuses touching the account
 * of a user whose profile the editor could not assign (docs/permissions.md rule 6 applied to the user's current profile).
 */
export function userActions(me: MeRights, user: { id: number; profileId: number }, profiles: readonly Profile[]): UserActions {
  const profile = profiles.find((p) => p.id === user.profileId);
  const within = profile === undefined || assignable(me, profile);
  return {
    edit: me.rights.includes('users.edit'),
    delete: me.rights.includes('users.delete') && user.id !== me.userId && within,
  };
}
