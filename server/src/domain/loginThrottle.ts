/**
 * Throttling of repeated failed logins (OWASP: lock out after a few failures in a window, for a while).
 * Counted per username and per client address, so neither guessing one account from many addresses nor
 * many accounts from one address goes unchecked. Pure: the caller passes `now` (ms).
 */
export interface LoginThrottleOptions {
  maxFailures: number;
  windowMs: number;
  lockoutMs: number;
  /** An address may fail this many times as often as one username before it is locked. */
  addressFactor?: number;
}

interface Counter {
  failures: number[];
  lockedUntil: number;
}

export class LoginThrottle {
  private readonly counters = new Map<string, Counter>();

  constructor(private readonly options: LoginThrottleOptions) {}

  /** Seconds the caller must wait, or 0 when a try is allowed now. */
  retryAfter(username: string, address: string, now: number): number {
    const until = Math.max(this.lockedUntil(`u:${username}`, now), this.lockedUntil(`a:${address}`, now));
    return until > now ? Math.ceil((until - now) / 1000) : 0;
  }

  recordFailure(username: string, address: string, now: number): void {
    this.bump(`u:${username}`, this.options.maxFailures, now);
    this.bump(`a:${address}`, this.options.maxFailures * (this.options.addressFactor ?? 4), now);
  }

  recordSuccess(username: string): void {
    this.counters.delete(`u:${username}`);
  }

  private lockedUntil(key: string, now: number): number {
    const c = this.counters.get(key);
    if (!c) return 0;
    if (c.lockedUntil <= now && c.failures.every((t) => t <= now - this.options.windowMs)) this.counters.delete(key);
    return c.lockedUntil;
  }

  private bump(key: string, max: number, now: number): void {
    const c = this.counters.get(key) ?? { failures: [], lockedUntil: 0 };
    c.failures = c.failures.filter((t) => t > now - this.options.windowMs);
    c.failures.push(now);
    if (c.failures.length >= max) {
      c.lockedUntil = now + this.options.lockoutMs;
      c.failures = [];
    }
    this.counters.set(key, c);
  }
}
