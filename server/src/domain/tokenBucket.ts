/**
 * A token bucket: `capacity` tokens at most, refilled at `perMs` a millisecond; each take spends one.
 * Pure (the caller passes `now`): the socket message limit and the media frame budget both count with it.
 */
export class TokenBucket {
  private tokens: number;

  constructor(
    private readonly capacity: number,
    private readonly perMs: number,
    private last: number,
  ) {
    this.tokens = capacity;
  }

  take(now: number): boolean {
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.last) * this.perMs);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
