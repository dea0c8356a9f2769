import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { homeOf, type AgentHome } from '../domain/agentHome.js';
import type { FloorLogger } from '../live/floorPublisher.js';
import { LuaScript } from './luaScript.js';

/** Every time in these scripts is the Redis's own clock (TIME), so that the nodes' clocks never disagree on a lease. */
const NOW = `local t = redis.call('TIME'); local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/**
 * The node's heartbeat, with the renewal of every lease it holds (batched: one script per 1000 agents).
 * KEYS: nodes (sorted set: node → expiry), node URLs (hash), then the leases to renew.
 * ARGV: node id, node URL, lease ms. Answers the agents (by position) whose lease is no longer this node's,
 * the live nodes and their URLs. Nodes past their expiry are dropped.
 */
const HEARTBEAT = new LuaScript(`${NOW}
local me, lease = ARGV[1], tonumber(ARGV[3])
redis.call('ZADD', KEYS[1], now + lease, me)
redis.call('HSET', KEYS[2], me, ARGV[2])
local lost = {}
for i = 3, #KEYS do
  if redis.call('GET', KEYS[i]) == me then redis.call('PEXPIRE', KEYS[i], lease) else lost[#lost + 1] = i - 2 end
end
local gone = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)
for _, n in ipairs(gone) do redis.call('ZREM', KEYS[1], n); redis.call('HDEL', KEYS[2], n) end
local live = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf')
local urls = {}
for i, n in ipairs(live) do urls[i] = redis.call('HGET', KEYS[2], n) or '' end
return {lost, live, urls}`);

/**
 * Claims leases for this node. A lease held by another live node is left alone and its holder answered;
 * a free one, or one whose holder is no longer alive, becomes this node's.
 * KEYS: nodes, then the leases. ARGV: node id, lease ms. Answers the holder of each lease, in order.
 */
const CLAIM = new LuaScript(`${NOW}
local me, lease = ARGV[1], ARGV[2]
local out = {}
for i = 2, #KEYS do
  local holder = redis.call('GET', KEYS[i])
  if holder and holder ~= me then
    local expiry = redis.call('ZSCORE', KEYS[1], holder)
    if not expiry or tonumber(expiry) <= now then holder = false end
  end
  if not holder or holder == me then
    redis.call('SET', KEYS[i], me, 'PX', lease)
    holder = me
  end
  out[#out + 1] = holder
end
return out`);

/**
 * A write of an owner's state that happens only while the writer still holds the agent's lease, checked in
 * the same script: a node cut off from Redis whose lease has passed to another cannot overwrite its state.
 * KEYS: the agent's lease, the key written. ARGV: node id, value ('' deletes), ttl ms. Answers 1 when written.
 */
const OWNER_WRITE = new LuaScript(`if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '' then redis.call('DEL', KEYS[2]) else redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3]) end
return 1`);

/** Releases, at a clean stop, the leases this node holds (its agents move at once) and its membership. */
const RELEASE = new LuaScript(`local me = ARGV[1]
redis.call('ZREM', KEYS[1], me)
redis.call('HDEL', KEYS[2], me)
for i = 3, #KEYS do if redis.call('GET', KEYS[i]) == me then redis.call('DEL', KEYS[i]) end end
return 1`);

const BATCH = 1000;
/** What an owner keeps of its live state in Redis expires by itself a day later, if nobody removes it. */
const OWNED_TTL_MS = 24 * 60 * 60 * 1000;

/** What an owner node records of its live state, so that other nodes find the owner: a session, a call. */
export type OwnedKind = 'session' | 'call';

export interface ClusterMembershipOptions {
  keyPrefix: string;
  nodeId: string;
  leaseMs: number;
}

export interface ClusterMembershipEvents {
  /** A node stopped heartbeating (or stopped cleanly): a surviving node ends its sessions (`nodeFailover.ts`). */
  nodeLeft: [nodeId: string];
  nodeJoined: [nodeId: string];
  /** This node found one of its leases held by another node (or gone): it no longer owns the agent. */
  leaseLost: [agentId: number];
  /** This node took the lease of an agent (an attach, the telephony of a start). */
  leaseTaken: [agentId: number];
}

/**
 * This node among the others that share one floor (docs/scale-out.md): its heartbeat, the live nodes and
 * their URLs, and the leases of the agents it is home to. An agent's home is the live holder of its lease,
 * else the rendezvous choice among the live nodes (`domain/agentHome.ts`). Every key under `keyPrefix`.
 */
export class ClusterMembership extends EventEmitter<ClusterMembershipEvents> {
  readonly nodeId: string;
  /** Where clients reach this node (NODE_URL, else the address it listens on): known once it listens. */
  nodeUrl = '';
  private readonly owned = new Set<number>();
  private live: string[] = [];
  private urls = new Map<string, string>();
  private timer: NodeJS.Timeout | null = null;
  private beating: Promise<void> | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly options: ClusterMembershipOptions,
    private readonly log: FloorLogger,
  ) {
    super();
    this.nodeId = options.nodeId;
  }

  private key(...parts: (string | number)[]): string {
    return `${this.options.keyPrefix}${parts.join(':')}`;
  }

  private leaseKey(agentId: number): string {
    return this.key('lease', agentId);
  }

  /** The first heartbeat (this node is live once it returns), then one every third of a lease. */
  async start(nodeUrl: string): Promise<void> {
    this.nodeUrl = nodeUrl;
    await this.heartbeat();
    this.timer = setInterval(() => {
      this.beating ??= this.heartbeat()
        .catch((e: unknown) => this.log.warn(`cluster: heartbeat failed: ${e instanceof Error ? e.message : String(e)}`, { nodeId: this.nodeId }))
        .finally(() => (this.beating = null));
    }, this.heartbeatMs);
    this.timer.unref();
  }

  async heartbeat(): Promise<void> {
    const agents = [...this.owned];
    const nodesKeys = [this.key('nodes'), this.key('node-urls')];
    let live: string[] = [];
    let urls: string[] = [];
    const lost: number[] = [];
    for (let i = 0; i === 0 || i < agents.length; i += BATCH) {
      const batch = agents.slice(i, i + BATCH);
      const [lostAt, liveNow, urlsNow] = (await HEARTBEAT.run(
        this.redis,
        [...nodesKeys, ...batch.map((a) => this.leaseKey(a))],
        [this.nodeId, this.nodeUrl, this.options.leaseMs],
      )) as [number[], string[], string[]];
      for (const at of lostAt) lost.push(batch[at - 1]!);
      live = liveNow;
      urls = urlsNow;
    }
    this.seeMembership(live, urls);
    for (const agentId of lost) {
      if (!this.owned.delete(agentId)) continue;
      this.log.warn('cluster: a lease of this node passed to another', { agentId, nodeId: this.nodeId });
      this.emit('leaseLost', agentId);
    }
  }

  private seeMembership(live: string[], urls: string[]): void {
    const before = new Set(this.live);
    this.live = live;
    this.urls = new Map(live.map((n, i) => [n, urls[i] ?? '']));
    for (const n of live) if (!before.has(n)) this.emit('nodeJoined', n);
    for (const n of before) if (!live.includes(n)) this.emit('nodeLeft', n);
  }

  /**
   * Whether the node is in the live set now, as Redis holds it: a node seen leaving that heartbeats again (it
   * was only late, or Redis was away from every node at once) is back in it.
   */
  async isListed(nodeId: string): Promise<boolean> {
    return (await this.redis.zscore(this.key('nodes'), nodeId)) !== null;
  }

  /** How often this node heartbeats. */
  get heartbeatMs(): number {
    return Math.max(100, Math.floor(this.options.leaseMs / 3));
  }

  liveNodes(): readonly string[] {
    return this.live;
  }

  urlOf(nodeId: string): string | undefined {
    return this.urls.get(nodeId);
  }

  /** Whether this node holds the agent's lease (as of its last claim or renewal). */
  owns(agentId: number): boolean {
    return this.owned.has(agentId);
  }

  ownedAgents(): number[] {
    return [...this.owned];
  }

  /** Where the agent lives now: the live holder of its lease, else the rendezvous choice among the live nodes. */
  async homeOf(agentId: number): Promise<AgentHome> {
    const holder = await this.redis.get(this.leaseKey(agentId));
    // This node's list of the live nodes is as of its last heartbeat: a holder missing from it may have
    // heartbeated again since (it was late once), and Redis is asked before its agent is taken for elsewhere.
    if (holder !== null && !this.live.includes(holder)) {
      const [url, listed] = await Promise.all([this.redis.hget(this.key('node-urls'), holder), this.isListed(holder)]);
      if (url !== null && listed) {
        this.urls.set(holder, url);
        return { nodeId: holder, by: 'lease' };
      }
    }
    return homeOf(agentId, holder, this.live);
  }

  /**
   * The agent's home, taken by this node when it is the one to be (no live holder, and rendezvous picks it):
   * answers the node that is home after the claim.
   */
  async takeHome(agentId: number): Promise<AgentHome> {
    const home = await this.homeOf(agentId);
    if (home.nodeId !== this.nodeId) return home;
    const [holder] = await this.claim([agentId]);
    return holder === this.nodeId ? home : { nodeId: holder!, by: 'lease' };
  }

  /** Claims these agents' leases; answers each one's holder. Those this node now holds it owns. */
  async claim(agentIds: readonly number[]): Promise<string[]> {
    const holders: string[] = [];
    for (let i = 0; i < agentIds.length; i += BATCH) {
      const batch = agentIds.slice(i, i + BATCH);
      const got = (await CLAIM.run(this.redis, [this.key('nodes'), ...batch.map((a) => this.leaseKey(a))], [this.nodeId, this.options.leaseMs])) as string[];
      batch.forEach((agentId, at) => {
        if (got[at] === this.nodeId && !this.owned.has(agentId)) {
          this.owned.add(agentId);
          this.emit('leaseTaken', agentId);
        }
      });
      holders.push(...got);
    }
    return holders;
  }

  /**
   * Records where a session or a call of an owned agent lives, so another node finds its owner; only while
   * this node still holds the agent's lease (checked in the same script). Queued on the command connection,
   * so a reply published after it reaches Redis after it.
   */
  recordOwned(agentId: number, kind: OwnedKind, id: string): void {
    this.ownerWrite(agentId, kind, id, String(agentId));
  }

  forgetOwned(agentId: number, kind: OwnedKind, id: string): void {
    this.ownerWrite(agentId, kind, id, '');
  }

  private ownerWrite(agentId: number, kind: OwnedKind, id: string, value: string): void {
    OWNER_WRITE.run(this.redis, [this.leaseKey(agentId), this.key('owned', kind, id)], [this.nodeId, value, OWNED_TTL_MS])
      .then((written) => {
        if (written !== 1) this.log.warn('cluster: not written: this node no longer holds the lease', { agentId, kind, id, nodeId: this.nodeId });
      })
      .catch((e: unknown) => this.log.error(e, 'cluster: an owner write failed', { agentId, kind, id }));
  }

  /** The agent a session or call belongs to, as its owner recorded it; null when none did. */
  async agentOf(kind: OwnedKind, id: string): Promise<number | null> {
    const value = await this.redis.get(this.key('owned', kind, id));
    return value === null ? null : Number(value);
  }

  /** Stops heartbeating and gives up this node's leases and membership (a clean stop). */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.beating;
    const agents = [...this.owned];
    this.owned.clear();
    await RELEASE.run(this.redis, [this.key('nodes'), this.key('node-urls'), ...agents.map((a) => this.leaseKey(a))], [this.nodeId]);
  }
}
