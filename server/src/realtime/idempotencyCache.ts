import { createHash } from 'node:crypto';
import type { Ack } from '@earshot/shared';
import { ActionError } from '../domain/actionError.js';

type Answer = Ack<unknown>;

/** The request a requestId was first used for, as a digest (the cache keeps no passwords or messages). */
export function requestDigest(input: unknown): string {
  return createHash('sha256').update(canonicalJson(input)).digest('base64url');
}

/** JSON with object keys sorted: the same request gives the same text whatever order its fields came in. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * docs/architecture.md: "a repeated requestId returns the first result (idempotent)". Keyed per user and event;
 * a repeat that arrives while the first is still running waits for its answer instead of acting twice.
 * A requestId names one request: used again for a different one, it is refused (CONFLICT).
 */
export class IdempotencyCache {
  private readonly entries = new Map<string, { at: number; digest: string; answer: Promise<Answer> }>();

  constructor(
    private readonly ttlMs = 10 * 60_000,
    private readonly maxEntries = 50_000,
  ) {}

  /** The first answer's promise for a repeat; for a first request, `settle` to call with its answer. */
  claim(userId: number, event: string, requestId: string, digest: string, now: number): { first: Promise<Answer> } | { settle: (a: Answer) => void } {
    const key = `${userId}\u0000${event}\u0000${requestId}`;
    const hit = this.entries.get(key);
    if (hit && now - hit.at < this.ttlMs) {
      if (hit.digest !== digest) {
        throw new ActionError('CONFLICT', `requestId: "${requestId}" was already used for a different ${event} request; use a new requestId for a new request`);
      }
      return { first: hit.answer };
    }
    this.prune(now);
    let settle!: (a: Answer) => void;
    const answer = new Promise<Answer>((resolve) => (settle = resolve));
    this.entries.set(key, { at: now, digest, answer });
    return { settle };
  }

  private prune(now: number): void {
    if (this.entries.size < this.maxEntries) return;
    for (const [k, v] of this.entries) if (now - v.at >= this.ttlMs || this.entries.size >= this.maxEntries) this.entries.delete(k);
  }
}
