import { describe, expect, it } from 'vitest';
import { formatDuration, formatDurationWords } from './timeText.js';

describe('time in words', () => {
  it('a span: its largest unit and the next, singular or plural; under a second said so', () => {
    expect([0, 999, 1000, 45_000, 60_000, 75_000, 121_000, 3_600_000, 3_605_000, 3_660_000, 7_322_000, -5000].map(formatDurationWords)).toEqual([
      'less than a second',
      'less than a second',
      '1 second',
      '45 seconds',
      '1 minute',
      '1 minute 15 seconds',
      '2 minutes 1 second',
      '1 hour',
      '1 hour',
      '1 hour 1 minute',
      '2 hours 2 minutes',
      'less than a second',
    ]);
  });

  it('a timer: minutes and seconds, hours when there are', () => {
    expect([0, 75_000, 3_729_000].map(formatDuration)).toEqual(['0:00', '1:15', '1:02:09']);
  });
});
