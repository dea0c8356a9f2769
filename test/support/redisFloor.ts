import { randomUUID } from 'node:crypto';
import type { BoardDelta, BoardSnapshot } from '@earshot/shared';
import { Redis } from 'ioredis';
import { describe } from 'vitest';
import type { ClusterConfig } from '../../server/src/config.js';
import { ok, type ClientSocket } from './harness.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

async function redisAnswers(): Promise<boolean> {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

const haveRedis = await redisAnswers();

/**
 * A describe block that needs Redis. In CI (CI=true) a missing Redis fails the run; on a developer's
 * machine the block is skipped with how to start one.
 */
export function describeWithRedis(name: string, body: () => void): void {
  if (!haveRedis && process.env.CI !== 'true') {
    console.warn(
      `${name}: skipped; no Redis at ${REDIS_URL}. Start one with: redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no`,
    );
    describe.skip(name, body);
  } else describe(name, body);
}

/** A key prefix of the test's own, and the cluster settings of one node under it. */
export function clusterUnder(keyPrefix: string, nodeId: string): ClusterConfig {
  return { redisUrl: REDIS_URL, keyPrefix, nodeId, nodeUrl: null, leaseMs: 10_000 };
}

export function freshKeyPrefix(): string {
  return `earshot-test:${randomUUID()}:`;
}

/** Removes every key under the prefix. */
export async function dropKeys(redis: Redis, keyPrefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}

/**
 * A board as a client keeps it: a snapshot, then each delta whose seq is the next one. A delta that is not
 * the next one is a gap the client would have to notice itself: counted, never applied. A pushed
 * `board:snapshot` replaces the board.
 */
export class BoardClient {
  board: BoardSnapshot | null = null;
  gaps = 0;
  deltas = 0;
  pushedSnapshots = 0;
  private early: BoardDelta[] = [];

  constructor(private readonly socket: ClientSocket) {
    socket.on('board:delta', (d) => (this.board ? this.apply(d) : this.early.push(d)));
    socket.on('board:snapshot', (s) => {
      this.pushedSnapshots += 1;
      this.board = s;
    });
  }

  async subscribe(): Promise<BoardSnapshot> {
    const snap = await ok(this.socket, 'board:subscribe', {});
    this.board = structuredClone(snap);
    // Deltas sent between the join and the answer: those past the snapshot follow it.
    for (const d of this.early.splice(0)) if (d.seq > snap.seq) this.apply(d);
    return snap;
  }

  private apply(d: BoardDelta): void {
    const board = this.board!;
    if (d.seq !== board.seq + 1) {
      this.gaps += 1;
      return;
    }
    this.deltas += 1;
    board.seq = d.seq;
    if (d.entry) {
      const i = board.entries.findIndex((e) => e.userId === d.entry!.userId);
      if (i >= 0) board.entries[i] = d.entry;
      else board.entries.push(d.entry);
    }
    if (d.removedUserId !== undefined) board.entries = board.entries.filter((e) => e.userId !== d.removedUserId);
    if (d.takenOver) board.takenOver = d.takenOver;
  }
}
