import { INSTALLED_ALERT_THRESHOLDS, NO_OWN_THRESHOLDS } from '@earshot/shared';
import { describe, expect, it } from 'vitest';
import { checkOwnThresholds } from './alertThresholds.js';

describe('checkOwnThresholds', () => {
  it('accepts values at or under the default, and no value at all', () => {
    expect(() => checkOwnThresholds(NO_OWN_THRESHOLDS, INSTALLED_ALERT_THRESHOLDS)).not.toThrow();
    expect(() => checkOwnThresholds({ ...NO_OWN_THRESHOLDS, longCall: 600, longHold: 1 }, INSTALLED_ALERT_THRESHOLDS)).not.toThrow();
  });

  it('refuses a looser value, naming the threshold and the default', () => {
    expect(() => checkOwnThresholds({ ...NO_OWN_THRESHOLDS, longWrapUp: 121 }, INSTALLED_ALERT_THRESHOLDS)).toThrow(
      expect.objectContaining({
        code: 'INVALID',
        message: "Long Wrap-up: 121 seconds is longer than the administrator's 120 seconds. You may only lower a threshold.",
      }),
    );
  });
});
