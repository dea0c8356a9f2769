import { defineAction } from '../actionTypes.js';

export const auditActions = [
  defineAction({
    event: 'audit:query',
    // Change System Settings: "View the contents of the Audit Log" (CallRex security profiles).
    right: 'system.settings',
    run: async (input, ctx) => ctx.store.audit.query(input),
  }),
];
