import { describe, expect, it } from 'vitest';
import { LoginThrottle } from './loginThrottle.js';

const options = { maxFailures: 3, windowMs: 60_000, lockoutMs: 30_000, addressFactor: 2 };

describe('LoginThrottle', () => {
  it('locks a username after maxFailures in the window, for lockoutMs', () => {
    const t = new LoginThrottle(options);
    t.recordFailure('ann', '1.1.1.1', 0);
    t.recordFailure('ann', '1.1.1.1', 1000);
    expect(t.retryAfter('ann', '1.1.1.1', 1000)).toBe(0);
    t.recordFailure('ann', '1.1.1.1', 2000);
    expect(t.retryAfter('ann', '2.2.2.2', 2000)).toBe(30);
    expect(t.retryAfter('ann', '2.2.2.2', 31_999)).toBe(1);
    expect(t.retryAfter('ann', '2.2.2.2', 32_000)).toBe(0);
  });

  it('forgets failures older than the window', () => {
    const t = new LoginThrottle(options);
    t.recordFailure('ann', 'a', 0);
    t.recordFailure('ann', 'a', 1);
    t.recordFailure('ann', 'a', 60_002);
    expect(t.retryAfter('ann', 'a', 60_002)).toBe(0);
  });

  it('a success clears the username count', () => {
    const t = new LoginThrottle(options);
    t.recordFailure('ann', 'a', 0);
    t.recordFailure('ann', 'a', 1);
    t.recordSuccess('ann');
    t.recordFailure('ann', 'b', 2);
    expect(t.retryAfter('ann', 'c', 2)).toBe(0);
  });

  it('locks an address that tries many usernames', () => {
    const t = new LoginThrottle(options);
    for (let i = 0; i < 6; i++) t.recordFailure(`user${i}`, '9.9.9.9', i);
    expect(t.retryAfter('fresh', '9.9.9.9', 10)).toBe(30);
    expect(t.retryAfter('fresh', '8.8.8.8', 10)).toBe(0);
  });
});
