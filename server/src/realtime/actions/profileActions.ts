import { ActionError } from '../../domain/actionError.js';
import { assertDeletable, assertEditable, assertNoEscalation, assertValidDefinition, normalizeRights, profileNameConflict } from '../../domain/profileRules.js';
import type { ActionContext } from '../actionTypes.js';
import { defineAction, effect, entityTarget } from '../actionTypes.js';

async function loadProfile(ctx: ActionContext, id: number) {
  const p = await ctx.store.profiles.get(id);
  if (!p) throw new ActionError('NOT_FOUND', `profileId: no profile ${id}`);
  return p;
}

async function assertNameFree(ctx: ActionContext, name: string, exceptId: number | null) {
  const v = profileNameConflict(name, await ctx.store.profiles.list(), exceptId);
  if (v) throw new ActionError(v.code, v.message);
}

/** docs/permissions.md rule 7: a change to a profile reaches its members at once (sessions, boards, `me:rights`). */
function tellMembers(ctx: ActionContext, profileId: number) {
  ctx.after(async () => ctx.live.rightsChanged(await ctx.store.profiles.memberIds(profileId)));
}

const target = entityTarget('profile', 'profileId', 'profile');

export const profileActions = [
  defineAction({
    event: 'profiles:list',
    // Assigning a profile to a user needs the list as much as editing profiles does.
    right: ['system.settings', 'users.edit'],
    auditSuccess: false,
    run: async (_input, ctx) => ({ profiles: await ctx.store.profiles.list() }),
  }),

  defineAction({
    event: 'profiles:create',
    right: 'system.settings', // docs/permissions.md rule 6: only a holder of Change System Settings edits profiles
    auditTarget: target,
    run: async (input, ctx) => {
      const def = { name: input.name, rights: normalizeRights(input.rights), scope: input.scope };
      assertValidDefinition(def);
      await assertNameFree(ctx, def.name, null);
      assertNoEscalation(ctx.actor, def, null);
      return effect(() => ({ result: { profile: ctx.store.profiles.create(def, ctx.now) } }));
    },
  }),

  defineAction({
    event: 'profiles:update',
    right: 'system.settings',
    auditTarget: target,
    run: async (input, ctx) => {
      const before = await loadProfile(ctx, input.profileId);
      assertEditable(before, 'edited');
      const after = { name: before.name, rights: normalizeRights(input.rights ?? before.rights), scope: input.scope ?? before.scope };
      assertValidDefinition(after);
      assertNoEscalation(ctx.actor, after, before);
      ctx.note({
        added: after.rights.filter((r) => !before.rights.includes(r)),
        removed: before.rights.filter((r) => !after.rights.includes(r)),
        scope: before.scope === after.scope ? undefined : { from: before.scope, to: after.scope },
      });
      return effect(() => {
        const profile = ctx.store.profiles.update(before.id, { rights: after.rights, scope: after.scope }, ctx.now);
        tellMembers(ctx, profile.id);
        return { result: { profile } };
      });
    },
  }),

  defineAction({
    event: 'profiles:rename',
    right: 'system.settings',
    auditTarget: target,
    run: async (input, ctx) => {
      const before = await loadProfile(ctx, input.profileId);
      assertEditable(before, 'renamed');
      assertValidDefinition({ ...before, name: input.name });
      await assertNameFree(ctx, input.name, before.id);
      ctx.note({ from: before.name });
      return effect(() => {
        const profile = ctx.store.profiles.update(before.id, { name: input.name }, ctx.now);
        tellMembers(ctx, profile.id);
        return { result: { profile } };
      });
    },
  }),

  defineAction({
    event: 'profiles:delete',
    right: 'system.settings',
    auditTarget: target,
    run: async (input, ctx) => {
      const profile = await loadProfile(ctx, input.profileId);
      assertDeletable(profile);
      const agent = await ctx.store.profiles.getByKey('agent');
      if (!agent) throw new ActionError('INTERNAL', 'The Agent profile is missing');
      // docs/permissions.md rule 3: the members of a deleted profile become members of the Agent profile.
      return effect(() => {
        const movedUserIds = ctx.store.profiles.deleteMovingMembers(profile.id, agent.id);
        ctx.note({ name: profile.name, movedTo: agent.name, movedUserIds });
        ctx.after(() => ctx.live.rightsChanged(movedUserIds));
        return { result: { profileId: profile.id, movedUserIds } };
      });
    },
  }),
];
