import { expect, it } from 'vitest';
import { formatDuration } from './formatDuration';

it('formats time in state as m:ss, then h:mm:ss; never negative', () => {
  expect(formatDuration(0)).toBe('0:00');
  expect(formatDuration(7_999)).toBe('0:07');
  expect(formatDuration(245_000)).toBe('4:05');
  expect(formatDuration(3_723_000)).toBe('1:02:03');
  expect(formatDuration(-5_000)).toBe('0:00');
});
