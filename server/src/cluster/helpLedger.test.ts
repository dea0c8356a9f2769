import type { HelpRequestView } from '@earshot/shared';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FloorLogger } from '../live/floorPublisher.js';
import { LEDGER_RETRY_MS, RedisHelpLedger } from './helpLedger.js';

/** Redis's hashes as far as the ledger writes them, refusing the next `refuse` transactions as a Redis that is away does. */
class RedisAway {
  readonly hashes = new Map<string, Map<string, string>>();
  readonly transactions: string[][] = [];
  refuse = 0;
  /** While set, a transaction waits for it: a write under way. */
  gate: Promise<void> | null = null;

  multi() {
    const ops: string[] = [];
    const apply: (() => void)[] = [];
    const hash = (key: string) => this.hashes.get(key) ?? this.hashes.set(key, new Map()).get(key)!;
    const tx = {
      hset: (key: string, field: string, value: string) => {
        ops.push(`hset ${field} ${JSON.parse(value).acknowledgedBy?.name ?? '-'}`);
        apply.push(() => hash(key).set(field, value));
        return tx;
      },
      hdel: (key: string, field: string) => {
        ops.push(`hdel ${field}`);
        apply.push(() => hash(key).delete(field));
        return tx;
      },
      exec: async () => {
        this.transactions.push(ops);
        await this.gate;
        if (this.refuse > 0) {
          this.refuse--;
          throw new Error('Connection is closed.');
        }
        for (const a of apply) a();
        return apply.map(() => [null, 1]);
      },
    };
    return tx;
  }
}

const help = (helpId: string, acknowledgedBy: string | null = null): HelpRequestView => ({
  helpId,
  agent: { id: 12, name: 'Ada Agent' },
  callId: null,
  message: 'card dispute',
  raisedAt: 1000,
  acknowledgedBy: acknowledgedBy === null ? null : { id: 7, name: acknowledgedBy },
  acknowledgedAt: acknowledgedBy === null ? null : 2000,
  endedAt: null,
  endReason: null,
});

describe('RedisHelpLedger', () => {
  let redis: RedisAway;
  let ledger: RedisHelpLedger;
  const log = { info: vi.fn(), warn: vi.fn(), debug: vi.fn(), error: vi.fn() } satisfies FloorLogger;
  const kept = () => Object.fromEntries([...(redis.hashes.get('p:help:node-a') ?? new Map())].map(([k, v]) => [k, JSON.parse(v).acknowledgedBy?.name ?? null]));

  beforeEach(() => {
    vi.useFakeTimers();
    redis = new RedisAway();
    ledger = new RedisHelpLedger(redis as unknown as Redis, 'p:', 'node-a', log);
    for (const f of Object.values(log)) f.mockClear();
  });
  afterEach(() => {
    ledger.close();
    vi.useRealTimers();
  });

  it('a write Redis refuses is tried again each second until it lands, and the failure is logged once', async () => {
    redis.refuse = 3;
    ledger.keep(help('h1'));
    await vi.advanceTimersByTimeAsync(0);
    expect(kept()).toEqual({});
    expect(ledger.waiting).toBe(1);
    await vi.advanceTimersByTimeAsync(LEDGER_RETRY_MS * 2);
    expect(kept()).toEqual({});
    expect(redis.transactions).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(LEDGER_RETRY_MS);
    expect(kept()).toEqual({ h1: null });
    expect(ledger.waiting).toBe(0);
    expect(redis.transactions).toEqual([['hset h1 -'], ['hset h1 -'], ['hset h1 -'], ['hset h1 -']]);
    expect(log.error).toHaveBeenCalledTimes(1);
    expect(log.error.mock.calls[0]![1]).toBe('cluster: the records of open help requests could not be written; trying again');
    expect(log.info).toHaveBeenCalledWith('cluster: the records of open help requests are written again', { nodeId: 'node-a' });
    await vi.advanceTimersByTimeAsync(LEDGER_RETRY_MS * 5);
    expect(redis.transactions).toHaveLength(4);
  });

  it('only the latest state of a request is tried again: a request acknowledged, then ended, while Redis was away is not left behind', async () => {
    redis.refuse = 1;
    ledger.keep(help('h1'));
    ledger.keep(help('h2'));
    await vi.advanceTimersByTimeAsync(0);
    ledger.keep(help('h1', 'Sam Supervisor'));
    ledger.drop('h2');
    await vi.advanceTimersByTimeAsync(LEDGER_RETRY_MS);
    expect(redis.transactions).toEqual([
      ['hset h1 -', 'hset h2 -'],
      ['hset h1 Sam Supervisor', 'hdel h2'],
    ]);
    expect(kept()).toEqual({ h1: 'Sam Supervisor' });
    expect(ledger.waiting).toBe(0);
  });

  it('a change made while a write is under way follows it in a write of its own, never before it', async () => {
    let open = () => {};
    redis.gate = new Promise((resolve) => (open = resolve));
    ledger.keep(help('h1'));
    await vi.advanceTimersByTimeAsync(0);
    ledger.drop('h1');
    ledger.keep(help('h3'));
    await vi.advanceTimersByTimeAsync(LEDGER_RETRY_MS);
    expect(redis.transactions).toEqual([['hset h1 -']]);
    expect(kept()).toEqual({});
    redis.gate = null;
    open();
    await vi.advanceTimersByTimeAsync(0);
    expect(redis.transactions).toEqual([['hset h1 -'], ['hdel h1', 'hset h3 -']]);
    expect(kept()).toEqual({ h3: null });
  });
});
