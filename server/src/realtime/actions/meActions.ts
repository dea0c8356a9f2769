import { meRightsOf } from '../../auth/authService.js';
import { defineAction } from '../actionTypes.js';

export const meActions = [
  defineAction({
    event: 'me:get',
    right: [],
    auditSuccess: false,
    run: async (_input, ctx) => {
      const user = (await ctx.store.users.get(ctx.actor.id))!;
      return { id: user.id, username: user.username, displayName: user.displayName, rights: meRightsOf(ctx.actor) };
    },
  }),
];
