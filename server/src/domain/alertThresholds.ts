import { ALERT_KIND_LABEL, ALERT_KINDS, type AlertThresholds, type OwnThresholds } from '@earshot/shared';
import { ActionError } from './actionError.js';

/**
 * A supervisor may tighten the administrator's thresholds for themselves, never loosen them: an own value
 * above the default is refused, naming the threshold and the default. (Should the default later go below
 * an own value, the default applies: `effectiveThresholds` takes the lower.)
 */
export function checkOwnThresholds(own: OwnThresholds, defaults: AlertThresholds): void {
  for (const kind of ALERT_KINDS) {
    const value = own[kind];
    if (value !== null && value > defaults[kind]) {
      throw new ActionError(
        'INVALID',
        `${ALERT_KIND_LABEL[kind]}: ${value} seconds is longer than the administrator's ${defaults[kind]} seconds. You may only lower a threshold.`,
      );
    }
  }
}
