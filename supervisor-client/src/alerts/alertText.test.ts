import { describe, expect, it } from 'vitest';
import { alertWords, formatThreshold } from './alertText';

describe('alert text', () => {
  it('a threshold reads in seconds, and in minutes from a minute on', () => {
    expect([45, 60, 90, 600].map(formatThreshold)).toEqual(['45 s', '60 s (1 min)', '90 s (1 min 30 s)', '600 s (10 min)']);
  });

  it('an alert says its kind, how long, and the threshold it passed', () => {
    expect(alertWords({ kind: 'longHold', userId: 7, since: 0, elapsedMs: 125_400, thresholdMs: 120_000 })).toBe('Long hold: 2:05, over 2:00');
  });
});
