import { effectiveThresholds, INSTALLED_ALERT_THRESHOLDS, NO_ALERT_SIGNALS, NO_OWN_THRESHOLDS, type AlertSettings } from '@earshot/shared';
import { checkOwnThresholds } from '../../domain/alertThresholds.js';
import type { AlertPreferences } from '../../store/repositories.js';
import { defineAction, effect, type ActionContext } from '../actionTypes.js';

async function defaultsOf(ctx: ActionContext) {
  return (await ctx.store.alertSettings.defaults()) ?? INSTALLED_ALERT_THRESHOLDS;
}

async function preferencesOf(ctx: ActionContext, userId: number): Promise<AlertPreferences> {
  return (await ctx.store.alertSettings.preferences(userId)) ?? { own: NO_OWN_THRESHOLDS, signals: NO_ALERT_SIGNALS };
}

function settings(defaults: AlertSettings['defaults'], { own, signals }: AlertPreferences): AlertSettings {
  return { defaults, own, effective: effectiveThresholds(defaults, own), signals };
}

export const alertActions = [
  defineAction({
    event: 'alerts:get',
    // The board's reader needs their thresholds; the administrator who sets the defaults needs those.
    right: ['phoneState.view', 'system.settings'],
    auditSuccess: false,
    run: async (_input, ctx) => settings(await defaultsOf(ctx), await preferencesOf(ctx, ctx.actor.id)),
  }),

  defineAction({
    event: 'alerts:setDefaults',
    // docs/permissions.md: Change System Settings, "administer security profiles and general settings".
    right: 'system.settings',
    auditTarget: () => ({ type: 'settings', id: 'alertThresholds' }),
    run: async (input, ctx) => {
      ctx.note({ before: await defaultsOf(ctx) });
      return effect(() => {
        ctx.store.alertSettings.setDefaults(input.thresholds, ctx.now);
        ctx.after(() => ctx.live.alertDefaultsChanged({ defaults: input.thresholds }));
        return { result: { defaults: input.thresholds } };
      });
    },
  }),

  defineAction({
    event: 'alerts:setMine',
    // The alerts are the live board's: whoever may view live phone state may tighten their own.
    right: 'phoneState.view',
    targetUsers: (_input, ctx) => [ctx.actor.id],
    run: async (input, ctx) => {
      const defaults = await defaultsOf(ctx);
      const before = await preferencesOf(ctx, ctx.actor.id);
      const next: AlertPreferences = { own: input.own ?? before.own, signals: input.signals ?? before.signals };
      checkOwnThresholds(next.own, defaults);
      ctx.note({ before });
      return effect(() => {
        ctx.store.alertSettings.setPreferences(ctx.actor.id, next, ctx.now);
        const result = settings(defaults, next);
        ctx.after(() => ctx.live.alertSettingsChanged(ctx.actor.id, result));
        return { result };
      });
    },
  }),
];
