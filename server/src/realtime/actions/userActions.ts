import { ActionError } from '../../domain/actionError.js';
import { isInScope } from '../../domain/decideAccess.js';
import { assertAssignable } from '../../domain/profileRules.js';
import { hashPassword } from '../../store/passwords.js';
import type { ActionContext } from '../actionTypes.js';
import { defineAction, effect, entityTarget } from '../actionTypes.js';
import { assertNotLastAdministrator, assertTeamsExist, loadAssignableProfile, peopleOfTeams } from './peopleChecks.js';

const target = entityTarget('user', 'userId', 'user');

const symmetricDifference = (a: readonly number[], b: readonly number[]) => [...a.filter((x) => !b.includes(x)), ...b.filter((x) => !a.includes(x))];

async function loadUser(ctx: ActionContext, id: number) {
  const user = await ctx.store.users.get(id);
  if (!user) throw new ActionError('NOT_FOUND', `userId: no user ${id}`);
  return user;
}

/**
 * Resetting the password of, demoting or deleting a user who holds rights the actor lacks would hand the
 * actor that user's account or power over a superior: the same bound as docs/permissions.md rule 6's, applied to the user's
 * current profile. Display name and teams stay editable (teams are bounded by scope).
 */
async function assertMayEdit(ctx: ActionContext, profileId: number, verb: string) {
  const current = await ctx.store.profiles.get(profileId);
  if (current) assertAssignable(ctx.actor, current, verb);
}

export const userActions = [
  defineAction({
    event: 'users:list',
    right: 'users.edit',
    auditSuccess: false,
    run: async (_input, ctx) => ({ users: (await ctx.store.users.list()).filter((u) => isInScope(ctx.actor, u.id)) }),
  }),

  defineAction({
    event: 'users:create',
    right: 'users.edit',
    targetUsers: (input, ctx) => peopleOfTeams(ctx, [...(input.memberOf ?? []), ...(input.supervises ?? [])]),
    auditTarget: target,
    run: async (input, ctx) => {
      await loadAssignableProfile(ctx, input.profileId);
      await assertTeamsExist(ctx, 'memberOf', input.memberOf ?? []);
      await assertTeamsExist(ctx, 'supervises', input.supervises ?? []);
      if (await ctx.store.users.credentials(input.username)) {
        throw new ActionError('CONFLICT', `username: a user named "${input.username}" already exists`);
      }
      const passwordHash = await hashPassword(input.password, ctx.config.passwordHashCost);
      const touched = await peopleOfTeams(ctx, input.supervises ?? []);
      return effect(() => {
        const user = ctx.store.users.create(
          {
            username: input.username,
            displayName: input.displayName,
            passwordHash,
            profileId: input.profileId,
            memberOf: input.memberOf ?? [],
            supervises: input.supervises ?? [],
            extension: input.extension ?? null,
          },
          ctx.now,
        );
        ctx.after(() => ctx.live.rightsChanged([user.id, ...touched]));
        return { result: { user } };
      });
    },
  }),

  defineAction({
    event: 'users:update',
    right: 'users.edit',
    targetUsers: async (input, ctx) => {
      const user = await loadUser(ctx, input.userId);
      const changedTeams = [
        ...(input.memberOf ? symmetricDifference(user.memberOf, input.memberOf) : []),
        ...(input.supervises ? symmetricDifference(user.supervises, input.supervises) : []),
      ];
      return [user.id, ...(await peopleOfTeams(ctx, changedTeams))];
    },
    auditTarget: target,
    run: async (input, ctx) => {
      const before = await loadUser(ctx, input.userId);
      if (input.profileId !== undefined && input.profileId !== before.profileId) {
        await loadAssignableProfile(ctx, input.profileId);
        await assertMayEdit(ctx, before.profileId, 'change the profile of a user of');
        await assertNotLastAdministrator(ctx, before.profileId, 'profileId');
        ctx.note({ profile: { from: before.profileId, to: input.profileId } });
      }
      // The extension names the user's phone to the telephony: the log keeps what it named before.
      if (input.extension !== undefined && input.extension !== before.extension) ctx.note({ extension: { from: before.extension, to: input.extension } });
      if (input.password !== undefined) await assertMayEdit(ctx, before.profileId, 'set the password of a user of');
      await assertTeamsExist(ctx, 'memberOf', input.memberOf ?? []);
      await assertTeamsExist(ctx, 'supervises', input.supervises ?? []);
      const passwordHash = input.password === undefined ? undefined : await hashPassword(input.password, ctx.config.passwordHashCost);
      const touched = await peopleOfTeams(ctx, [...new Set([...before.supervises, ...(input.supervises ?? [])])]);
      return effect(() => {
        const user = ctx.store.users.update(before.id, {
          displayName: input.displayName,
          profileId: input.profileId,
          memberOf: input.memberOf,
          supervises: input.supervises,
          extension: input.extension,
          passwordHash,
        });
        if (input.password !== undefined) {
          // A new password ends the user's other logins: whoever knew the old one is out.
          const revoked = ctx.store.sessions.revokeAllForUser(user.id, ctx.now).filter((id) => id !== ctx.login.id);
          ctx.note({ passwordChanged: true, revokedLogins: revoked.length });
          ctx.after(() => ctx.live.loginsRevoked(revoked));
        }
        ctx.after(() => ctx.live.rightsChanged([user.id, ...touched]));
        return { result: { user } };
      });
    },
  }),

  defineAction({
    event: 'users:delete',
    right: 'users.delete',
    targetUsers: (input) => [input.userId],
    auditTarget: target,
    run: async (input, ctx) => {
      const user = await loadUser(ctx, input.userId);
      if (user.id === ctx.actor.id) throw new ActionError('CONFLICT', 'userId: you cannot delete your own account');
      await assertMayEdit(ctx, user.profileId, 'delete a user of');
      await assertNotLastAdministrator(ctx, user.profileId, 'userId');
      ctx.note({ username: user.username, displayName: user.displayName });
      return effect(() => {
        ctx.store.users.delete(user.id);
        ctx.after(() => ctx.live.userDeleted(user.id));
        return { result: { userId: user.id } };
      });
    },
  }),
];
