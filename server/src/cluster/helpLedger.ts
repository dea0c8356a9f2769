import { HelpRequestViewSchema, type HelpRequestView } from '@earshot/shared';
import type { Redis } from 'ioredis';
import type { HelpLedger } from '../live/helpDesk.js';
import type { FloorLogger } from '../live/floorPublisher.js';
import { readNodeMessage } from './nodeMessages.js';

/**
 * Each node's open help requests in a Redis hash of its own (`help:<node>`, request id → request), so that
 * when the node dies a survivor ends them for the supervisors who still show them (docs/scale-out.md "When
 * a node dies"). Written as the requests change, without waiting: a request is the agent's home's, and a
 * write that fails only leaves a request the survivors cannot end (logged).
 */
export class RedisHelpLedger implements HelpLedger {
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
    this.redis.hset(this.keyOf(this.nodeId), help.helpId, JSON.stringify(help)).catch((e: unknown) => this.failed(e, help.helpId));
  }

  drop(helpId: string): void {
    this.redis.hdel(this.keyOf(this.nodeId), helpId).catch((e: unknown) => this.failed(e, helpId));
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

  private failed(e: unknown, helpId: string): void {
    this.log.error(e, 'cluster: the record of an open help request could not be written', { nodeId: this.nodeId, helpId });
  }
}
