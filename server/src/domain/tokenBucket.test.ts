import { describe, expect, it } from 'vitest';
import { TokenBucket } from './tokenBucket.js';

describe('TokenBucket', () => {
  it('allows a burst of its capacity, then refills at its rate and never above its capacity', () => {
    const bucket = new TokenBucket(3, 0.01, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([true, true, true, false]);
    // One token back after 100 ms at 0.01 a millisecond.
    expect(bucket.take(99)).toBe(false);
    expect(bucket.take(100)).toBe(true);
    expect(bucket.take(100)).toBe(false);
    // A long pause fills it to the capacity, no more.
    expect([bucket.take(100_000), bucket.take(100_000), bucket.take(100_000), bucket.take(100_000)]).toEqual([true, true, true, false]);
  });
});
