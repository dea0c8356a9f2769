import type { Ack } from '@earshot/shared';

type Answer = Ack<unknown>;

/**
 * architecture.md: "a repeated requestId returns the first result (idempotent)". Keyed per user and event;
 * a repeat that arrives while the first is still running waits for its answer instead of acting twice.
 */
export class IdempotencyCache {
  private readonly entries = new Map<string, { at: number; answer: Promise<Answer> }>();

  constructor(
    private readonly ttlMs = 10 * 60_000,
    private readonly maxEntries = 50_000,
  ) {}

  /** The first answer's promise for a repeat; for a first request, `settle` to call with its answer. */
  claim(userId: number, event: string, requestId: string, now: number): { first: Promise<Answer> } | { settle: (a: Answer) => void } {
    const key = `${userId}\u0000${event}\u0000${requestId}`;
    const hit = this.entries.get(key);
    if (hit && now - hit.at < this.ttlMs) return { first: hit.answer };
    this.prune(now);
    let settle!: (a: Answer) => void;
    const answer = new Promise<Answer>((resolve) => (settle = resolve));
    this.entries.set(key, { at: now, answer });
    return { settle };
  }

  private prune(now: number): void {
    if (this.entries.size < this.maxEntries) return;
    for (const [k, v] of this.entries) if (now - v.at >= this.ttlMs || this.entries.size >= this.maxEntries) this.entries.delete(k);
  }
}
