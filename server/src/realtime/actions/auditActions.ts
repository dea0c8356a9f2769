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
];
