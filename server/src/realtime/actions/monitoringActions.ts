import { AUDIT_PAGE_MAX, MONITORING_HISTORY_DAYS, type AuditRecord } from '@earshot/shared';
import { monitoringHistoryOf } from '../../domain/monitoringHistory.js';
import { defineAction } from '../actionTypes.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export const monitoringActions = [
  defineAction({
    event: 'monitoring:history',
    // The right that tells an agent they are being supervised also lets them look back at it; on themselves only.
    right: 'live.notifications',
    targetUsers: (_input, ctx) => [ctx.actor.id],
    run: async (_input, ctx) => {
      const since = ctx.now - MONITORING_HISTORY_DAYS * DAY_MS;
      const records: AuditRecord[] = [];
      let before: number | undefined;
      do {
        const page = await ctx.store.audit.query({
          targetType: 'user',
          targetId: String(ctx.actor.id),
          action: 'supervise:',
          from: since,
          limit: AUDIT_PAGE_MAX,
          ...(before === undefined ? {} : { before }),
        });
        records.push(...page.records);
        before = page.nextBefore ?? undefined;
      } while (before !== undefined);
      return { since, entries: monitoringHistoryOf(records, since) };
    },
  }),
];
