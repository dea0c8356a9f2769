import type { Profile } from '@earshot/shared';
import { ActionError } from '../../domain/actionError.js';
import { assertAssignable } from '../../domain/profileRules.js';
import type { ActionContext } from '../actionTypes.js';

export async function assertUsersExist(ctx: ActionContext, field: string, ids: readonly number[]): Promise<void> {
  const found = new Set(await ctx.store.users.existing(ids));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length) throw new ActionError('NOT_FOUND', `${field}: no user ${missing.join(', ')}`);
}

export async function assertTeamsExist(ctx: ActionContext, field: string, ids: readonly number[]): Promise<void> {
  for (const id of ids) {
    if (!(await ctx.store.teams.get(id))) throw new ActionError('NOT_FOUND', `${field}: no team ${id}`);
  }
}

/**
 * Everyone whose scope or membership a team change touches: the team's members and supervisors. An actor
 * may change a team only when all of them are inside the actor's scope.
 */
export async function peopleOfTeams(ctx: ActionContext, teamIds: readonly number[]): Promise<number[]> {
  const out = new Set<number>();
  for (const id of teamIds) {
    const t = await ctx.store.teams.get(id);
    t?.memberIds.forEach((u) => out.add(u));
    t?.supervisorIds.forEach((u) => out.add(u));
  }
  return [...out];
}

export async function loadAssignableProfile(ctx: ActionContext, profileId: number): Promise<Profile> {
  const profile = await ctx.store.profiles.get(profileId);
  if (!profile) throw new ActionError('NOT_FOUND', `profileId: no profile ${profileId}`);
  // docs/permissions.md rule 6: nobody assigns a profile that holds a right or a wider scope than their own.
  assertAssignable(ctx.actor, profile);
  return profile;
}

/** At least one user keeps the Administrator profile, or nobody could administer the system again. */
export async function assertNotLastAdministrator(ctx: ActionContext, currentProfileId: number, what: string): Promise<void> {
  const admin = await ctx.store.profiles.getByKey('administrator');
  if (admin && admin.id === currentProfileId && (await ctx.store.users.countWithProfile(admin.id)) <= 1) {
    throw new ActionError('CONFLICT', `${what}: this is the last user with the ${admin.name} profile`);
  }
}
