import type { Redis } from 'ioredis';
import type { FloorLogger, FloorPublisher } from '../live/floorPublisher.js';
import type { LiveFloor } from '../live/liveFloor.js';
import { userRoom, type EarshotIo } from '../realtime/gateway.js';
import type { ClusterMembership } from './clusterMembership.js';
import type { FloorFeed } from './floorFeed.js';
import type { RedisHelpLedger } from './helpLedger.js';
import { KeptEndsMessageSchema, readNodeMessage, type KeptEndsMessage } from './nodeMessages.js';

/** How long the claim on a dead node's sessions stays: long past any failover; a restart of that node clears it. */
const CLAIM_TTL_MS = 24 * 60 * 60 * 1000;

export interface NodeFailoverOptions {
  keyPrefix: string;
  nodeId: string;
}

/**
 * What the surviving nodes do when one dies (docs/scale-out.md "When a node dies"). Every node stops showing
 * the dead node's agents (`forgetOwner`: its feed is dropped, its agents show logged out until they attach at
 * their new home). Exactly one node, the one whose `SET NX` on `failed:<node>` wins, ends the dead node's open
 * sessions from the store with `node-failed`: one audit record each, and the ends kept for their users as a
 * restart keeps them. Then every node is told which users have ends waiting (`kept-ends`), and each node that
 * has a socket of theirs takes them (one statement takes and removes them, so each is delivered once) and
 * sends them to the user's room across nodes; a user connected nowhere gets them at their next connection.
 */
export class NodeFailover {
  private readonly channel: string;

  constructor(
    private readonly command: Redis,
    private readonly subscriber: Redis,
    private readonly membership: ClusterMembership,
    private readonly floor: LiveFloor,
    private readonly floorFeed: FloorFeed | null,
    private readonly io: EarshotIo,
    private readonly publisher: FloorPublisher,
    private readonly helpLedger: RedisHelpLedger,
    private readonly options: NodeFailoverOptions,
    private readonly log: FloorLogger,
  ) {
    this.channel = `${options.keyPrefix}kept-ends`;
  }

  private claimKey(nodeId: string): string {
    return `${this.options.keyPrefix}failed:${nodeId}`;
  }

  async start(): Promise<void> {
    // This node is live again under its name: a later death of it is a new one to claim.
    await this.command.del(this.claimKey(this.options.nodeId));
    // The help requests it held before (a restart before the others saw it gone) are lost with its memory.
    this.floor.endLostHelp(await this.helpLedger.take(this.options.nodeId));
    this.subscriber.on('message', (from: string, text: string) => {
      if (from !== this.channel) return;
      const reading = readNodeMessage(KeptEndsMessageSchema, text);
      if (!reading.ok) return this.log.warn(`cluster: a message of kept ends was dropped (${reading.reason})`, { nodeId: this.options.nodeId });
      this.deliverKept(reading.message.users);
    });
    await this.subscriber.subscribe(this.channel);
    this.membership.on('nodeLeft', (nodeId) => void this.nodeLeft(nodeId));
    // A node taken for dead that heartbeats again (it was cut off) can die again: that death is claimed anew.
    this.membership.on('nodeJoined', (nodeId) => {
      this.command.del(this.claimKey(nodeId)).catch((e: unknown) => this.log.error(e, 'cluster: clearing the claim on a node back failed', { nodeId }));
    });
    this.membership.on('leaseLost', (agentId) => this.leaseLost(agentId));
  }

  /**
   * The nodes that left sessions open in the store, or help requests in Redis, and are not live now, though
   * no live node saw them leave: every node stopped at once, or Redis lost its list of nodes while they were
   * away. Each is taken for dead as a node seen leaving is (after a heartbeat's grace, by the one node that
   * claims it), so that a node name that never returns does not keep its sessions open for ever. Run once
   * this node is live (its first heartbeat has listed the others).
   */
  async endOrphans(): Promise<void> {
    const named = new Set([...this.floor.nodesWithOpenSessions(), ...(await this.helpLedger.nodesWithLedgers())]);
    const live = new Set([this.options.nodeId, ...this.membership.liveNodes()]);
    const orphans = [...named].filter((nodeId) => !live.has(nodeId));
    if (orphans.length > 0)
      this.log.warn('cluster: nodes not live left sessions or help requests open; each is taken for dead unless it heartbeats within a period', {
        nodeIds: orphans.join(' '),
      });
    await Promise.all(orphans.map((nodeId) => this.nodeLeft(nodeId)));
  }

  private async nodeLeft(nodeId: string): Promise<void> {
    try {
      // A node that only missed its time (Redis was away from every node at once, then the first node back
      // dropped the others) heartbeats again within one period: only one still gone after it has failed.
      await new Promise((resolve) => setTimeout(resolve, this.membership.heartbeatMs + 100));
      if (await this.membership.isListed(nodeId)) {
        this.log.warn('cluster: a node seen leaving is live again; its sessions are left to it', { nodeId, by: this.options.nodeId });
        return;
      }
      await this.floorFeed?.forgetOwner(nodeId);
      const claimed = await this.command.set(this.claimKey(nodeId), this.options.nodeId, 'PX', CLAIM_TTL_MS, 'NX');
      if (claimed !== 'OK') return;
      const users = this.floor.endFailedNodeSessions(nodeId);
      this.log.warn('cluster: a node left; its open supervision sessions were ended here (node-failed)', {
        nodeId,
        by: this.options.nodeId,
        users: users.length,
      });
      if (users.length > 0) await this.command.publish(this.channel, JSON.stringify({ users } satisfies KeptEndsMessage));
      // Its open help requests were in its memory only: they end for the supervisors who still show them.
      const lost = await this.helpLedger.take(nodeId);
      this.floor.endLostHelp(lost);
      if (lost.length > 0)
        this.log.warn('cluster: a node left; its open help requests were ended here (node-failed)', { nodeId, by: this.options.nodeId, requests: lost.length });
    } catch (e) {
      this.log.error(e, 'cluster: ending the sessions of a node that left failed', { nodeId });
    }
  }

  /** Another node holds the agent now: its sessions here end, and its phone is no longer this node's to publish. */
  private leaseLost(agentId: number): void {
    this.floor.agentMovedAway(agentId);
    if (this.floorFeed) this.floorFeed.releaseAgent(agentId);
    else this.floor.forgetPhone(agentId);
  }

  private deliverKept(users: readonly number[]): void {
    for (const userId of users) {
      if ((this.io.of('/').adapter.rooms.get(userRoom(userId))?.size ?? 0) === 0) continue;
      for (const ended of this.floor.supervision.takeUndeliveredEnds(userId)) this.publisher.toUser(userId, 'supervise:ended', ended);
      this.floor.supervision.deliverUndeliveredNotices(userId);
    }
  }
}
