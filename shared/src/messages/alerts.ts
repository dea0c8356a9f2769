import { z } from 'zod';

/**
 * What a supervisor is alerted to: an agent's call, hold, Not ready or Wrap-up lasting past its threshold,
 * and a queue whose caller waiting longest has waited past its threshold.
 */
export const ALERT_KINDS = ['longCall', 'longHold', 'longNotReady', 'longWrapUp', 'queueWait'] as const;
export const AlertKindSchema = z.enum(ALERT_KINDS);
export type AlertKind = z.infer<typeof AlertKindSchema>;

/** How people read each kind: the settings' labels, the board's marks, refusals. */
export const ALERT_KIND_LABEL: Record<AlertKind, string> = {
  longCall: 'Long call',
  longHold: 'Long hold',
  longNotReady: 'Long Not ready',
  longWrapUp: 'Long Wrap-up',
  queueWait: 'Long queue wait',
};

/** A threshold in whole seconds: at least 1 s, at most a day. */
export const ThresholdSecondsSchema = z
  .number({ error: 'A threshold is a number of seconds' })
  .int({ error: 'A threshold is a whole number of seconds' })
  .min(1, { error: 'A threshold is at least 1 second' })
  .max(86_400, { error: 'A threshold is at most 86400 seconds (a day)' });

/** One threshold per kind, in seconds. */
export const AlertThresholdsSchema = z.strictObject(
  Object.fromEntries(ALERT_KINDS.map((k) => [k, ThresholdSecondsSchema])) as { [K in AlertKind]: typeof ThresholdSecondsSchema },
);
export type AlertThresholds = z.infer<typeof AlertThresholdsSchema>;

/** A user's own thresholds: a number tightens the administrator's default, null keeps the default. */
export const OwnThresholdsSchema = z.strictObject(
  Object.fromEntries(ALERT_KINDS.map((k) => [k, ThresholdSecondsSchema.nullable()])) as {
    [K in AlertKind]: z.ZodNullable<typeof ThresholdSecondsSchema>;
  },
);
export type OwnThresholds = z.infer<typeof OwnThresholdsSchema>;

/**
 * The defaults until an administrator sets them: a call of 10 minutes, a hold of 2, a Not ready of 15,
 * a Wrap-up of 2, a caller waiting a minute.
 */
export const INSTALLED_ALERT_THRESHOLDS: AlertThresholds = {
  longCall: 600,
  longHold: 120,
  longNotReady: 900,
  longWrapUp: 120,
  queueWait: 60,
};

export const NO_OWN_THRESHOLDS: OwnThresholds = { longCall: null, longHold: null, longNotReady: null, longWrapUp: null, queueWait: null };

/** The thresholds that apply to a user: their own where they set one, never looser than the default. */
export function effectiveThresholds(defaults: AlertThresholds, own: OwnThresholds): AlertThresholds {
  return Object.fromEntries(ALERT_KINDS.map((k) => [k, own[k] === null ? defaults[k] : Math.min(own[k], defaults[k])])) as AlertThresholds;
}

/** How a user is told of a new alert, besides the board: both off until the user turns them on. */
export const AlertSignalsSchema = z.strictObject({
  /** A desktop notification (the browser asks the user's permission once). */
  desktop: z.boolean(),
  sound: z.boolean(),
});
export type AlertSignals = z.infer<typeof AlertSignalsSchema>;

export const NO_ALERT_SIGNALS: AlertSignals = { desktop: false, sound: false };

/** `alerts:get`, `alerts:setMine` and the `alerts:settings` push: everything the user's alerts follow. */
export const AlertSettingsSchema = z.object({
  defaults: AlertThresholdsSchema,
  own: OwnThresholdsSchema,
  effective: AlertThresholdsSchema,
  signals: AlertSignalsSchema,
});
export type AlertSettings = z.infer<typeof AlertSettingsSchema>;

export const AlertDefaultsRequestSchema = z.strictObject({ thresholds: AlertThresholdsSchema });
export const AlertDefaultsResponseSchema = z.object({ defaults: AlertThresholdsSchema });
export type AlertDefaults = z.infer<typeof AlertDefaultsResponseSchema>;

/** `alerts:setMine`: either part may be left out to keep it. */
export const AlertMineRequestSchema = z.strictObject({
  own: OwnThresholdsSchema.optional(),
  signals: AlertSignalsSchema.optional(),
});
