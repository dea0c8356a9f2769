import { randomUUID } from 'node:crypto';
import type { AgentPhoneState, TakenOverCallView } from '@earshot/shared';
import { Redis } from 'ioredis';
import type { ClusterConfig } from '../config.js';
import { type FeedCursor, isQuiet, stepForEntry, stepForHeartbeat } from '../domain/feedCursor.js';
import type { FloorLogger } from '../live/floorPublisher.js';
import type { LiveFloor } from '../live/liveFloor.js';
import type { PlatformQueueEvent } from '../telephony/platform.js';
import { type FeedKind, FeedPhoneSchema, FeedQueueEventSchema, FeedReleasedSchema, FeedTakenOverSchema } from './feedEntry.js';

/**
 * KEYS: feed, phones, state. ARGV: epoch, kind, agent id (or ''), data, max length.
 * Numbers the entry, stores what a snapshot needs and appends the entry to the feed in one step, so the
 * stored state and the feed never disagree; refused when another start of this node took the feed over.
 */
const PUBLISH = `
if redis.call('HGET', KEYS[3], 'epoch') ~= ARGV[1] then return redis.error_reply('EPOCH this feed has a newer epoch') end
local offset = redis.call('HINCRBY', KEYS[3], 'offset', 1)
local kind = ARGV[2]
if kind == 'phone' then redis.call('HSET', KEYS[2], ARGV[3], ARGV[4])
elseif kind == 'released' then redis.call('HDEL', KEYS[2], ARGV[3])
elseif kind == 'takenOver' then redis.call('HSET', KEYS[3], 'takenOver', ARGV[4]) end
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[5], '*', 'epoch', ARGV[1], 'offset', offset, 'kind', kind, 'data', ARGV[4])
redis.call('HSET', KEYS[3], 'lastId', id)
return offset`;

/**
 * KEYS: feed, phones, state, owners. ARGV: epoch, node id, taken-over calls, then agent id and phone pairs.
 * A new epoch: the feed and the stored phones start again from what the floor holds now, offset 0.
 */
const BEGIN = `
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('HSET', KEYS[3], 'epoch', ARGV[1], 'offset', 0, 'lastId', '0-0', 'takenOver', ARGV[3])
for i = 4, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
redis.call('SADD', KEYS[4], ARGV[2])
return 0`;

/** KEYS: feed, state. ARGV: epoch, max length. Where the owner stands, in its feed: a reader past it has lost nothing. */
const HEARTBEAT = `
if redis.call('HGET', KEYS[2], 'epoch') ~= ARGV[1] then return -1 end
local offset = redis.call('HGET', KEYS[2], 'offset')
redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'epoch', ARGV[1], 'offset', offset, 'kind', 'heartbeat', 'data', '')
return tonumber(offset)`;

/** KEYS: phones, state. Everything a reader rebuilds from, with the offset and feed position it stands at, read at one instant. */
const SNAPSHOT = `
local s = redis.call('HMGET', KEYS[2], 'epoch', 'offset', 'lastId', 'takenOver')
return { s[1], s[2], s[3], s[4], redis.call('HGETALL', KEYS[1]) }`;

/**
 * KEYS: state, feed. ARGV: the feed position read up to. Where a quiet owner stands, and whether its feed
 * holds entries not read yet (then nothing is lost: the reads get to them), at one instant.
 */
const LOOK_UP = `
local s = redis.call('HMGET', KEYS[1], 'epoch', 'offset')
return { s[1], s[2], #redis.call('XRANGE', KEYS[2], '(' .. ARGV[1], '+', 'COUNT', 1) }`;

interface FeedCommands {
  floorPublish(feed: string, phones: string, state: string, epoch: string, kind: FeedKind, agentId: string, data: string, maxLen: number): Promise<number>;
  floorBegin(
    feed: string,
    phones: string,
    state: string,
    owners: string,
    epoch: string,
    nodeId: string,
    takenOver: string,
    ...pairs: string[]
  ): Promise<number>;
  floorHeartbeat(feed: string, state: string, epoch: string, maxLen: number): Promise<number>;
  floorSnapshot(phones: string, state: string): Promise<[string | null, string | null, string | null, string | null, string[]]>;
  floorLookUp(state: string, feed: string, lastId: string): Promise<[string | null, string | null, number]>;
}
type FeedRedis = Redis & FeedCommands;

type StreamEntry = [id: string, fields: string[]];
type XReadReply = [key: string, entries: StreamEntry[]][] | null;

export interface FloorFeedOptions {
  /** How often an owner says where it stands; an owner silent for three of these is looked up. Default 1 s. */
  heartbeatMs?: number;
  /** About how many entries each owner's feed keeps; a reader further behind rebuilds from a snapshot. Default 100,000. */
  maxLen?: number;
  /** Wall clock for the heartbeats (the floor's clock may be a test's). */
  now?: () => number;
}

/** Where this node stands in one other owner's feed. */
interface OwnerReader {
  cursor: FeedCursor | null;
  /** The feed position read up to (a Redis stream id). */
  lastId: string;
  lastHeardAt: number;
}

/**
 * This node's part of the floor the nodes share (docs/decisions/floor-feed.md). As an owner it publishes,
 * in order, what other nodes' boards and queue views need of what it owns: its agents' phones, its
 * taken-over calls, its telephony's queue events; numbered per epoch in a Redis stream of its own, with
 * its current phones in a hash beside it for snapshots. As a reader it follows every other owner's stream
 * into the floor's mirror, so its own board streams carry their changes with their own numbers; a gap, a
 * new epoch or a heartbeat past what it read rebuilds that owner from its snapshot and pushes
 * `board:snapshot` to the boards concerned.
 */
export class FloorFeed {
  private readonly commands: FeedRedis;
  /** XREAD BLOCK holds its connection: the reads have one of their own. */
  private readonly reads: Redis;
  private readonly readers = new Map<string, OwnerReader>();
  private readonly heartbeatMs: number;
  private readonly maxLen: number;
  private readonly now: () => number;
  private epoch = '';
  private needsNewEpoch = false;
  private ownersDue = true;
  private closed = false;
  private heartbeat: NodeJS.Timeout | null = null;
  private loop: Promise<void> = Promise.resolve();
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly floor: LiveFloor,
    private readonly cluster: ClusterConfig,
    private readonly log: FloorLogger,
    options: FloorFeedOptions = {},
  ) {
    this.heartbeatMs = options.heartbeatMs ?? 1000;
    this.maxLen = options.maxLen ?? 100_000;
    this.now = options.now ?? Date.now;
    // Commands wait through a Redis outage rather than fail: the feed stays in order when Redis is back.
    const connection = { maxRetriesPerRequest: null, lazyConnect: true } as const;
    this.commands = new Redis(cluster.redisUrl, connection) as FeedRedis;
    this.reads = new Redis(cluster.redisUrl, connection);
    for (const [name, connection] of [
      ['commands', this.commands],
      ['reads', this.reads],
    ] as const) {
      // ioredis retries on its own; said once per outage, not once per attempt.
      let down = false;
      connection.on('error', (e: Error) => {
        if (down || this.closed) return;
        down = true;
        this.log.warn('floor feed: Redis unreachable; retrying', { connection: name, reason: e.message, node: cluster.nodeId });
      });
      connection.on('ready', () => {
        if (down) this.log.info('floor feed: Redis reachable again', { connection: name, node: cluster.nodeId });
        down = false;
      });
    }
    this.commands.defineCommand('floorPublish', { numberOfKeys: 3, lua: PUBLISH });
    this.commands.defineCommand('floorBegin', { numberOfKeys: 4, lua: BEGIN });
    this.commands.defineCommand('floorHeartbeat', { numberOfKeys: 2, lua: HEARTBEAT });
    this.commands.defineCommand('floorSnapshot', { numberOfKeys: 2, lua: SNAPSHOT });
    this.commands.defineCommand('floorLookUp', { numberOfKeys: 2, lua: LOOK_UP });
  }

  /** This node's name among the owners. */
  get nodeId(): string {
    return this.cluster.nodeId;
  }

  /** The epoch this node's feed is in: a new one on every start. */
  get currentEpoch(): string {
    return this.epoch;
  }

  async start(): Promise<void> {
    await Promise.all([this.commands.connect(), this.reads.connect()]);
    const begun = this.beginEpoch();
    const events = this.floor.events;
    this.unsubscribe.push(
      events.on('phoneChanged', ({ userId, phone }) => this.publish('phone', userId, JSON.stringify(phone))),
      events.on('takenOverChanged', (changed) => this.publish('takenOver', changed.agentId, JSON.stringify(changed))),
      events.on('queueChanged', ({ event }) => this.publish('queue', null, JSON.stringify(event))),
    );
    await begun;
    this.heartbeat = setInterval(() => this.beat(), this.heartbeatMs);
    this.heartbeat.unref();
    this.loop = this.readLoop();
  }

  /**
   * The agent is no longer this node's (re-homed elsewhere): its phone leaves this node's floor and feed,
   * so the other nodes show the phone of its new owner.
   */
  releaseAgent(userId: number): void {
    this.floor.forgetPhone(userId);
    this.publish('released', userId, String(userId));
  }

  /** A node that is gone for good (its leases expired): its feed is no longer read and its phones no longer shown. */
  async forgetOwner(nodeId: string): Promise<void> {
    await this.commands.srem(this.key('floor:owners'), nodeId);
    await this.commands.del(this.feedKey(nodeId), this.phonesKey(nodeId), this.stateKey(nodeId));
    if (this.readers.delete(nodeId)) this.floor.dropMirror(nodeId);
  }

  /** The owners this node reads, and where it stands in each (for the logs and the tests). */
  readPositions(): Map<string, FeedCursor | null> {
    return new Map([...this.readers].map(([owner, r]) => [owner, r.cursor && { ...r.cursor }]));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const off of this.unsubscribe.splice(0)) off();
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.reads.disconnect();
    await this.loop;
    await this.commands.quit().catch(() => undefined);
  }

  // ── As an owner ─────────────────────────────────────────────────────────────────────────────────────

  private publish(kind: FeedKind, agentId: number | null, data: string): void {
    if (this.closed) return;
    const epoch = this.epoch;
    const { feed, phones, state } = this.keysOf(this.nodeId);
    this.commands.floorPublish(feed, phones, state, epoch, kind, agentId === null ? '' : String(agentId), data, this.maxLen).catch((e: unknown) => {
      if (epoch !== this.epoch || this.closed) return;
      // The feed no longer matches the floor: start again from what the floor holds; the readers rebuild.
      this.log.warn('floor feed: a change could not be published; starting a new epoch', { reason: String(e), node: this.nodeId });
      this.needsNewEpoch = true;
    });
  }

  /** Sent before any change published after it (one connection keeps the order): the changes follow in the new epoch. */
  private beginEpoch(): Promise<void> {
    this.epoch = `${this.now().toString(36)}-${randomUUID().slice(0, 8)}`;
    this.needsNewEpoch = false;
    const { feed, phones, state } = this.keysOf(this.nodeId);
    const pairs = this.floor.allPhones().flatMap((p) => [String(p.userId), JSON.stringify(p)]);
    const takenOver = JSON.stringify({ calls: this.floor.ownTakenOver() });
    return this.commands
      .floorBegin(feed, phones, state, this.key('floor:owners'), this.epoch, this.nodeId, takenOver, ...pairs)
      .then(() => undefined)
      .catch((e: unknown) => {
        this.needsNewEpoch = true;
        this.log.warn('floor feed: could not start an epoch; trying again', { reason: String(e), node: this.nodeId });
      });
  }

  private beat(): void {
    this.ownersDue = true;
    if (this.needsNewEpoch) {
      void this.beginEpoch();
      return;
    }
    const { feed, state } = this.keysOf(this.nodeId);
    const epoch = this.epoch;
    this.commands.floorHeartbeat(feed, state, epoch, this.maxLen).then(
      (offset) => {
        // Redis lost the feed's state (a restart without persistence): begin again from the floor.
        if (offset === -1 && epoch === this.epoch && !this.closed) this.needsNewEpoch = true;
      },
      (e: unknown) => {
        if (!this.closed) this.log.warn('floor feed: heartbeat failed', { reason: String(e), node: this.nodeId });
      },
    );
  }

  // ── As a reader ─────────────────────────────────────────────────────────────────────────────────────

  private async readLoop(): Promise<void> {
    while (!this.closed) {
      try {
        if (this.ownersDue) await this.refreshOwners();
        await this.lookUpQuietOwners();
        const owners = [...this.readers.keys()];
        if (owners.length === 0) {
          await new Promise((resolve) => setTimeout(resolve, this.heartbeatMs).unref());
          continue;
        }
        const reply = (await this.reads.xread(
          'COUNT',
          1000,
          'BLOCK',
          this.heartbeatMs,
          'STREAMS',
          ...owners.map((o) => this.feedKey(o)),
          ...owners.map((o) => this.readers.get(o)!.lastId),
        )) as XReadReply;
        for (const [key, entries] of reply ?? []) await this.readEntries(this.ownerOfFeed(key), entries);
      } catch (e) {
        if (this.closed) return;
        this.log.warn('floor feed: reading the other nodes failed; retrying', { reason: String(e), node: this.nodeId });
        await new Promise((resolve) => setTimeout(resolve, Math.min(this.heartbeatMs, 500)).unref());
      }
    }
  }

  private async readEntries(owner: string, entries: StreamEntry[]): Promise<void> {
    const reader = this.readers.get(owner);
    if (!reader) return;
    reader.lastHeardAt = this.now();
    for (const [id, fields] of entries) {
      // Fields in the order PUBLISH and HEARTBEAT write them: epoch, offset, kind, data.
      const at: FeedCursor = { epoch: fields[1]!, offset: Number(fields[3]) };
      const kind = fields[5] as FeedKind;
      const step = kind === 'heartbeat' ? stepForHeartbeat(reader.cursor, at) : stepForEntry(reader.cursor, at);
      if (step === 'resnapshot') {
        // The snapshot stands past every entry of this batch: the rest of it is already in.
        await this.resnapshot(owner, reader, kind === 'heartbeat' ? 'heartbeat past the entries read' : 'gap or new epoch');
        return;
      }
      if (step === 'skip') {
        reader.lastId = id;
        continue;
      }
      try {
        this.apply(owner, kind, fields[7]!);
      } catch (e) {
        // An entry this node cannot read (another version of the server wrote it): the owner's snapshot instead.
        this.log.error(e, 'floor feed: an entry could not be applied', { owner, offset: at.offset, kind });
        await this.resnapshot(owner, reader, 'entry not applicable');
        return;
      }
      reader.lastId = id;
      reader.cursor = at;
    }
  }

  private apply(owner: string, kind: FeedKind, data: string): void {
    if (kind === 'phone') this.floor.mirrorPhone(owner, FeedPhoneSchema.parse(JSON.parse(data)) as AgentPhoneState);
    else if (kind === 'released') this.floor.unmirrorPhone(owner, FeedReleasedSchema.parse(Number(data)));
    else if (kind === 'takenOver') {
      const { agentId, calls } = FeedTakenOverSchema.parse(JSON.parse(data));
      this.floor.mirrorTakenOver(owner, agentId, calls as TakenOverCallView[]);
    } else if (kind === 'queue') this.floor.mirrorQueue(FeedQueueEventSchema.parse(JSON.parse(data)) as PlatformQueueEvent);
  }

  private async resnapshot(owner: string, reader: OwnerReader, why: string): Promise<void> {
    const [epoch, offset, lastId, takenOver, flat] = await this.commands.floorSnapshot(this.phonesKey(owner), this.stateKey(owner));
    if (epoch === null) {
      // The owner's feed is gone (forgotten): nothing of it is shown until it begins again.
      reader.cursor = null;
      reader.lastId = '0-0';
      this.floor.dropMirror(owner);
      return;
    }
    const phones: AgentPhoneState[] = [];
    for (let i = 1; i < flat.length; i += 2) phones.push(FeedPhoneSchema.parse(JSON.parse(flat[i]!)) as AgentPhoneState);
    const calls = takenOver ? (FeedTakenOverSchema.pick({ calls: true }).parse(JSON.parse(takenOver)).calls as TakenOverCallView[]) : [];
    reader.cursor = { epoch, offset: Number(offset) };
    reader.lastId = lastId ?? '0-0';
    reader.lastHeardAt = this.now();
    this.floor.replaceMirror(owner, phones, calls);
    this.log.info('floor feed: rebuilt an owner from its snapshot', { owner, why, phones: phones.length, offset: reader.cursor.offset });
  }

  private async refreshOwners(): Promise<void> {
    this.ownersDue = false;
    const owners = new Set(await this.commands.smembers(this.key('floor:owners')));
    owners.delete(this.nodeId);
    for (const owner of [...this.readers.keys()]) {
      if (owners.has(owner)) continue;
      this.readers.delete(owner);
      this.floor.dropMirror(owner);
    }
    for (const owner of owners) {
      if (this.readers.has(owner)) continue;
      const reader: OwnerReader = { cursor: null, lastId: '0-0', lastHeardAt: this.now() };
      this.readers.set(owner, reader);
      await this.resnapshot(owner, reader, 'new owner');
    }
  }

  /** An owner whose feed went quiet (not even a heartbeat) is asked where it stands: a lost tail has nothing after it to show. */
  private async lookUpQuietOwners(): Promise<void> {
    const now = this.now();
    for (const [owner, reader] of this.readers) {
      if (!isQuiet(reader.lastHeardAt, now, this.heartbeatMs)) continue;
      reader.lastHeardAt = now;
      const [epoch, offset, unread] = await this.commands.floorLookUp(this.stateKey(owner), this.feedKey(owner), reader.lastId);
      if (epoch === null || offset === null || unread > 0) continue;
      if (stepForHeartbeat(reader.cursor, { epoch, offset: Number(offset) }) === 'resnapshot')
        await this.resnapshot(owner, reader, 'quiet feed behind its owner');
    }
  }

  // ── Keys ────────────────────────────────────────────────────────────────────────────────────────────

  private key(name: string): string {
    return `${this.cluster.keyPrefix}${name}`;
  }

  private feedKey(nodeId: string): string {
    return this.key(`floor:{${nodeId}}:feed`);
  }

  private phonesKey(nodeId: string): string {
    return this.key(`floor:{${nodeId}}:phones`);
  }

  private stateKey(nodeId: string): string {
    return this.key(`floor:{${nodeId}}:state`);
  }

  private keysOf(nodeId: string): { feed: string; phones: string; state: string } {
    return { feed: this.feedKey(nodeId), phones: this.phonesKey(nodeId), state: this.stateKey(nodeId) };
  }

  private ownerOfFeed(key: string): string {
    const start = key.indexOf('{', this.cluster.keyPrefix.length);
    return key.slice(start + 1, key.lastIndexOf('}'));
  }
}

/** Starts this node's floor feed: from now on its boards show the whole floor. */
export async function startFloorFeed(floor: LiveFloor, cluster: ClusterConfig, log: FloorLogger, options?: FloorFeedOptions): Promise<FloorFeed> {
  const feed = new FloorFeed(floor, cluster, log, options);
  await feed.start();
  return feed;
}
