import { ActionError } from '../../domain/actionError.js';
import { defineAction, effect, entityTarget } from '../actionTypes.js';
import type { ActionContext } from '../actionTypes.js';
import { assertUsersExist, peopleOfTeams } from './peopleChecks.js';

const target = entityTarget('team', 'teamId', 'team');

async function loadTeam(ctx: ActionContext, id: number) {
  const team = await ctx.store.teams.get(id);
  if (!team) throw new ActionError('NOT_FOUND', `teamId: no team ${id}`);
  return team;
}

async function assertTeamNameFree(ctx: ActionContext, name: string, exceptId: number | null) {
  const clash = (await ctx.store.teams.list()).find((t) => t.id !== exceptId && t.name.toLowerCase() === name.toLowerCase());
  if (clash) throw new ActionError('CONFLICT', `name: a team named "${clash.name}" already exists`);
}

export const teamActions = [
  defineAction({
    event: 'teams:list',
    // The board's team filter needs the names as much as the admin pages do.
    right: ['users.edit', 'phoneState.view'],
    auditSuccess: false,
    run: async (_input, ctx) => {
      const teams = await ctx.store.teams.list();
      if (ctx.actor.scope === 'all') return { teams };
      return { teams: teams.filter((t) => t.supervisorIds.includes(ctx.actor.id) || t.memberIds.includes(ctx.actor.id)) };
    },
  }),

  defineAction({
    event: 'teams:create',
    right: 'users.edit', // docs/permissions.md: Add/Edit Users covers "their teams"
    targetUsers: (input) => [...(input.memberIds ?? []), ...(input.supervisorIds ?? [])],
    auditTarget: target,
    run: async (input, ctx) => {
      await assertUsersExist(ctx, 'memberIds', input.memberIds ?? []);
      await assertUsersExist(ctx, 'supervisorIds', input.supervisorIds ?? []);
      await assertTeamNameFree(ctx, input.name, null);
      return effect(() => {
        const team = ctx.store.teams.create({ name: input.name, memberIds: input.memberIds ?? [], supervisorIds: input.supervisorIds ?? [] }, ctx.now);
        ctx.after(() => ctx.live.rightsChanged([...team.memberIds, ...team.supervisorIds]));
        return { result: { team } };
      });
    },
  }),

  defineAction({
    event: 'teams:update',
    right: 'users.edit',
    targetUsers: async (input, ctx) => [...(await peopleOfTeams(ctx, [input.teamId])), ...(input.memberIds ?? []), ...(input.supervisorIds ?? [])],
    auditTarget: target,
    run: async (input, ctx) => {
      const before = await loadTeam(ctx, input.teamId);
      await assertUsersExist(ctx, 'memberIds', input.memberIds ?? []);
      await assertUsersExist(ctx, 'supervisorIds', input.supervisorIds ?? []);
      if (input.name !== undefined) await assertTeamNameFree(ctx, input.name, before.id);
      ctx.note({ before: { name: before.name, memberIds: before.memberIds, supervisorIds: before.supervisorIds } });
      return effect(() => {
        const team = ctx.store.teams.update(before.id, { name: input.name, memberIds: input.memberIds, supervisorIds: input.supervisorIds });
        const touched = [...new Set([...before.memberIds, ...before.supervisorIds, ...team.memberIds, ...team.supervisorIds])];
        ctx.after(() => ctx.live.rightsChanged(touched));
        return { result: { team } };
      });
    },
  }),

  defineAction({
    event: 'teams:delete',
    right: 'users.edit',
    targetUsers: (input, ctx) => peopleOfTeams(ctx, [input.teamId]),
    auditTarget: target,
    run: async (input, ctx) => {
      const team = await loadTeam(ctx, input.teamId);
      ctx.note({ name: team.name, memberIds: team.memberIds, supervisorIds: team.supervisorIds });
      return effect(() => {
        ctx.store.teams.delete(team.id);
        ctx.after(() => ctx.live.rightsChanged([...team.memberIds, ...team.supervisorIds]));
        return { result: { teamId: team.id } };
      });
    },
  }),
];
