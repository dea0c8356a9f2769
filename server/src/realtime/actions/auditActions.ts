import type { AuditChoice } from '@earshot/shared';
import { auditNamesOf } from '../../audit/auditNames.js';
import { defineAction } from '../actionTypes.js';

export const auditActions = [
  defineAction({
    event: 'audit:query',
    // Change System Settings: "View the contents of the Audit Log" (CallRex security profiles).
    right: 'system.settings',
    run: async (input, ctx) => {
      const page = await ctx.store.audit.query(input);
      return { ...page, names: await auditNamesOf(page.records, ctx.store) };
    },
  }),
  defineAction({
    event: 'audit:choices',
    // Whoever reads the log filters it by name, whether or not they may list users (Add/Edit Users).
    right: 'system.settings',
    auditSuccess: false,
    run: async (_input, ctx) => {
      const byName = (choices: AuditChoice[]) => choices.sort((a, b) => a.name.localeCompare(b.name));
      return {
        users: byName((await ctx.store.users.list()).map((u) => ({ id: u.id, name: u.displayName }))),
        profiles: byName((await ctx.store.profiles.list()).map((p) => ({ id: p.id, name: p.name }))),
        teams: byName((await ctx.store.teams.list()).map((t) => ({ id: t.id, name: t.name }))),
      };
    },
  }),
];
