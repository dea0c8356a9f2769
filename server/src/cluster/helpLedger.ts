import { HelpRequestViewSchema, type HelpRequestView } from '@earshot/shared';
import type { Redis } from 'ioredis';
import type { HelpLedger } from '../live/helpDesk.js';
import type { FloorLogger } from '../live/floorPublisher.js';
import { readNodeMessage } from './nodeMessages.js';

/** How long after a failed write the ledger tries again. */
export const LEDGER_RETRY_MS = 1000;

/**
 * Each node's open help requests in a Redis hash of its own (`help:<node>`, request id → request), so that
 * when the node dies a survivor ends them for the supervisors who still show them (docs/scale-out.md "When
 * a node dies"). Written as the requests change, without waiting: a request is the agent's home's. A write
 * that fails (Redis away) is tried again every `LEDGER_RETRY_MS` until it lands, so that a node that dies
 * after Redis came back leaves no request the survivors cannot end. Each request's latest state is what is
 * written, one write at a time, so an older state never lands after a newer one.
 */
export class RedisHelpLedger implements HelpLedger {
  /** Each request's state not yet in Redis: the request, or null for its removal. */
  private readonly unsaved = new Map<string, HelpRequestView | null>();
  private writing = false;
  private scheduled: { cancel(): void } | null = null;
  /** A failure is logged once until a write succeeds again, not once a second. */
  private failing = false;
  private closed = false;

  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly nodeId: string,
    private readonly log: FloorLogger,
  ) {}

  private keyOf(nodeId: string): string {
    return `${this.keyPrefix}help:${nodeId}`;
  }

  keep(help: HelpRequestView): void {
    this.unsaved.set(help.helpId, help);
    this.schedule(0);
  }

  drop(helpId: string): void {
    this.unsaved.set(helpId, null);
    this.schedule(0);
  }

  /** How many requests' states are not yet in Redis. */
  get waiting(): number {
    return this.unsaved.size;
  }

  close(): void {
    this.closed = true;
    this.scheduled?.cancel();
    this.scheduled = null;
  }

  private schedule(afterMs: number): void {
    if (this.scheduled || this.writing || this.closed) return;
    const run = () => {
      this.scheduled = null;
      void this.write();
    };
    if (afterMs === 0) {
      const immediate = setImmediate(run);
      this.scheduled = { cancel: () => clearImmediate(immediate) };
    } else {
      const timer = setTimeout(run, afterMs).unref();
      this.scheduled = { cancel: () => clearTimeout(timer) };
    }
  }

  private async write(): Promise<void> {
    if (this.unsaved.size === 0 || this.closed) return;
    const batch = [...this.unsaved];
    const multi = this.redis.multi();
    for (const [helpId, help] of batch) {
      if (help) multi.hset(this.keyOf(this.nodeId), helpId, JSON.stringify(help));
      else multi.hdel(this.keyOf(this.nodeId), helpId);
    }
    this.writing = true;
    let failure: unknown = null;
    try {
      // Without a WATCH, `exec` answers every command: the first error, if any, is the write's.
      failure = (await multi.exec())?.find(([e]) => e)?.[0] ?? null;
    } catch (e) {
      failure = e;
    }
    this.writing = false;
    if (failure === null) {
      // Written: unless the request changed again meanwhile (its newer state goes with the next write).
      for (const [helpId, help] of batch) if (this.unsaved.get(helpId) === help) this.unsaved.delete(helpId);
      if (this.failing) this.log.info('cluster: the records of open help requests are written again', { nodeId: this.nodeId });
      this.failing = false;
      if (this.unsaved.size > 0) this.schedule(0);
      return;
    }
    if (!this.failing) {
      this.log.error(failure, 'cluster: the records of open help requests could not be written; trying again', {
        nodeId: this.nodeId,
        requests: batch.length,
      });
    }
    this.failing = true;
    this.schedule(LEDGER_RETRY_MS);
  }

  /** The nodes with a ledger in Redis: live ones, and any that died with requests open. */
  async nodesWithLedgers(): Promise<string[]> {
    const prefix = `${this.keyPrefix}help:`;
    const nodes: string[] = [];
    // The prefix as a pattern matches itself only: its glob characters escaped.
    const match = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
    for await (const keys of this.redis.scanStream({ match, count: 100 }) as AsyncIterable<string[]>) {
      for (const key of keys) nodes.push(key.slice(prefix.length));
    }
    return nodes;
  }

  /** The requests `nodeId` left open, taken (read and removed at once, so that only one taker ends them). */
  async take(nodeId: string): Promise<HelpRequestView[]> {
    const key = this.keyOf(nodeId);
    const [[readError, kept], [removeError]] = (await this.redis.multi().hgetall(key).del(key).exec()) as [
      [Error | null, Record<string, string>],
      [Error | null],
    ];
    if (readError ?? removeError) throw readError ?? removeError;
    const requests: HelpRequestView[] = [];
    for (const [helpId, text] of Object.entries(kept)) {
      const reading = readNodeMessage(HelpRequestViewSchema, text);
      if (reading.ok) requests.push(reading.message);
      else this.log.warn(`cluster: a kept help request was dropped (${reading.reason})`, { nodeId, helpId });
    }
    return requests;
  }
}
