import { ALERT_KINDS, type AlertThresholds, type OwnThresholds } from '@earshot/shared';

/** The key the administrator's default alert thresholds are kept under in the settings table. */
export const DEFAULT_THRESHOLDS_KEY = 'alertThresholds';

/** A stored set read field by field: a kind added after it was stored takes its installed or unset value. */
export function readThresholds<T extends AlertThresholds | OwnThresholds>(json: string, fallback: T): T {
  const stored = JSON.parse(json) as Record<string, unknown>;
  return Object.fromEntries(ALERT_KINDS.map((k) => [k, typeof stored[k] === 'number' || stored[k] === null ? stored[k] : fallback[k]])) as T;
}
