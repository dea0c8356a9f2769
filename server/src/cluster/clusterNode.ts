import type { Ack, ResponseOf } from '@earshot/shared';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { Redis } from 'ioredis';
import { rendezvousNode } from '../domain/agentHome.js';
import type { FloorLogger, FloorPublisher } from '../live/floorPublisher.js';
import type { LiveFloor } from '../live/liveFloor.js';
import { ActionError } from '../domain/actionError.js';
import type { AgentHomes } from '../realtime/actionTypes.js';
import type { Caller, Respond } from '../realtime/actionWrapper.js';
import { userRoom, type EarshotIo } from '../realtime/gateway.js';
import { localRoomWriter } from '../realtime/localRoomWriter.js';
import { SIMULATED_USERNAME_PREFIX } from '../telephony/simulatorPlatform.js';
import { actionObject, type ActionObject } from './actionRouting.js';
import { ClusterMembership } from './clusterMembership.js';
import type { FloorFeed } from './floorFeed.js';
import { RedisHelpLedger } from './helpLedger.js';
import { NodeFailover } from './nodeFailover.js';
import { RequestForwarding } from './requestForwarding.js';
import { PresenceMessageSchema, readNodeMessage, type ForwardedAction, type PresenceMessage } from './nodeMessages.js';

/** The lists that live at agents' homes, gathered from every node: what they are called, and how the nodes' answers make one. */
type ListedEverywhere = 'supervise:mine' | 'help:list';
const REDIS_DOWN = "The nodes' shared Redis did not answer, so the action was not carried out; try again";

const LISTED_EVERYWHERE: { [E in ListedEverywhere]: { what: string; merge: (answers: ResponseOf<E>[]) => ResponseOf<E> } } = {
  'supervise:mine': {
    what: 'your sessions',
    merge: (answers) => ({
      sessions: answers.flatMap((a) => a.sessions).sort((x, y) => x.startedAt - y.startedAt || x.sessionId.localeCompare(y.sessionId)),
    }),
  },
  'help:list': {
    what: 'the help requests',
    merge: (answers) => ({
      requests: answers.flatMap((a) => a.requests).sort((x, y) => x.raisedAt - y.raisedAt || x.helpId.localeCompare(y.helpId)),
    }),
  },
};

export interface ClusterSettings {
  redisUrl: string;
  keyPrefix: string;
  nodeId: string;
  leaseMs: number;
  /** How long an action forwarded to its owner node may take before its caller is answered INTERNAL. */
  forwardTimeoutMs: number;
}

/** Opens a connection and waits for it: a node that cannot reach its Redis does not start. */
async function connected(url: string, name: string): Promise<Redis> {
  const redis = new Redis(url, { lazyConnect: true, connectionName: name, maxRetriesPerRequest: 2 });
  // Reconnection errors are retried by ioredis; a command that fails meanwhile reports its own.
  redis.on('error', () => undefined);
  try {
    await redis.connect();
  } catch (e) {
    redis.disconnect();
    throw new Error(`Redis at ${url.replace(/\/\/[^@/]*@/, '//')} is not reachable (REDIS_URL): ${e instanceof Error ? e.message : String(e)}`);
  }
  return redis;
}

/**
 * This node as one of several sharing a floor (docs/scale-out.md): its membership and agent leases, the
 * socket.io adapter over Redis Streams, the delivery to clients (local sockets first), and the routing of
 * actions to the node that owns their agent.
 */
export class ClusterNode {
  readonly membership: ClusterMembership;
  /** Where this node keeps its open help requests for the survivors of its death (the floor's `helpLedger`). */
  readonly helpLedger: RedisHelpLedger;
  private forwarding: RequestForwarding | null = null;
  private floor: LiveFloor | null = null;
  private readonly offFloor: (() => void)[] = [];
  /**
   * The users who act on this node's sessions from sockets on other nodes: user → those nodes. Each such node
   * counts on this node's floor as one connection of the user (`node:<id>`), open while the user has a socket
   * there, so the floor's disconnect grace ends their sessions when their last socket anywhere closes.
   */
  private readonly remoteUsers = new Map<number, Set<string>>();

  private constructor(
    private readonly settings: ClusterSettings,
    private readonly command: Redis,
    private readonly subscriber: Redis,
    private readonly adapterWriter: Redis,
    private readonly adapterReader: Redis,
    private readonly log: FloorLogger,
  ) {
    this.membership = new ClusterMembership(command, { keyPrefix: settings.keyPrefix, nodeId: settings.nodeId, leaseMs: settings.leaseMs }, log);
    this.helpLedger = new RedisHelpLedger(command, settings.keyPrefix, settings.nodeId, log);
    this.membership.on('nodeLeft', (nodeId) => log.info('cluster: a node left', { nodeId, by: settings.nodeId }));
    this.membership.on('nodeJoined', (nodeId) => log.info('cluster: a node joined', { nodeId, by: settings.nodeId }));
  }

  static async connect(settings: ClusterSettings, log: FloorLogger): Promise<ClusterNode> {
    const opened: Redis[] = [];
    try {
      for (const role of ['command', 'subscriber', 'adapter-writer', 'adapter-reader']) {
        opened.push(await connected(settings.redisUrl, `earshot:${settings.nodeId}:${role}`));
      }
    } catch (e) {
      for (const r of opened) r.disconnect();
      throw e;
    }
    const [command, subscriber, writer, reader] = opened as [Redis, Redis, Redis, Redis];
    return new ClusterNode(settings, command, subscriber, writer, reader, log);
  }

  get nodeId(): string {
    return this.settings.nodeId;
  }

  /**
   * The socket.io adapter. The streams adapter reads with `XREAD BLOCK` on the client it is given and writes
   * with `XADD` on the same one, so every emit would wait behind a blocked read: its reads go to a
   * connection of their own.
   */
  adapter(): ReturnType<typeof createAdapter> {
    const writer = this.adapterWriter;
    const reader = this.adapterReader;
    const client = new Proxy(writer, {
      get(target, prop) {
        if (prop === 'xread') return reader.xread.bind(reader);
        const value = Reflect.get(target, prop, target) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    return createAdapter(client, { streamName: `${this.settings.keyPrefix}socket.io`, sessionKeyPrefix: `${this.settings.keyPrefix}sio:session:` });
  }

  /**
   * How the floor reaches clients across nodes. A user's room: this node's sockets first, at once, then the
   * other nodes' through the adapter (which waits on Redis even for local sockets): the agent's notice reaches
   * its socket before anything else of a start (docs/architecture.md "Notices", must), and every push to a
   * socket on this node keeps its order. The other rooms the floor uses are this node's own (its numbered
   * board streams, its queue views, one socket's room): delivered and joined locally only, or another node's
   * stream of the same name would get this node's deltas.
   */
  publisher(io: () => EarshotIo | null, sendNow: () => void): FloorPublisher {
    const local = (room: string) => io()?.of('/').adapter.rooms.get(room);
    const toLocalRoom = localRoomWriter(io);
    return {
      toUser(userId, event, payload, exceptSocket) {
        const server = io();
        if (!server) return;
        const room = userRoom(userId);
        const here = local(room);
        const emit = (op: { emit: (e: string, p: unknown) => unknown }) => op.emit(event, payload);
        // The asking socket may be another node's (a forwarded request): left out there too, by its own room.
        const others = exceptSocket === undefined ? [] : [exceptSocket];
        if (!here || here.size === 0) return void emit(server.to(room).except(others) as never);
        toLocalRoom(room, event, payload, exceptSocket);
        emit(server.to(room).except([...here, ...others]) as never);
      },
      toLocalRoom,
      join: (socketId, room) => io()?.local.in(socketId).socketsJoin(room),
      leave: (socketId, room) => io()?.local.in(socketId).socketsLeave(room),
      sendNow,
    };
  }

  /**
   * Joins the other nodes: heartbeats, takes the leases of the simulated agents rendezvous gives this node,
   * listens for forwarded actions, and records where the sessions and calls of its agents live.
   */
  async start(
    floor: LiveFloor,
    floorFeed: FloorFeed | null,
    /** The floor's own publisher (this node's `publisher()`): the ends of a dead node's sessions go out through it. */
    publisher: FloorPublisher,
    io: EarshotIo,
    nodeUrl: string,
    runForwarded: (action: ForwardedAction, respond: (answer: Ack<unknown>) => void) => void,
  ): Promise<void> {
    this.floor = floor;
    this.runLocally = runForwarded;
    // Listening before the first heartbeat: a node seen leaving from then on is ended by one of the survivors.
    const failover = new NodeFailover(
      this.command,
      this.subscriber,
      this.membership,
      floor,
      floorFeed,
      io,
      publisher,
      this.helpLedger,
      { keyPrefix: this.settings.keyPrefix, nodeId: this.nodeId },
      this.log,
    );
    await failover.start();
    await this.followRights(floor);
    await this.membership.start(nodeUrl);
    // Not awaited: each one waits a heartbeat's grace before it is claimed (its errors are logged there).
    failover.endOrphans().catch((e: unknown) => this.log.error(e, 'cluster: looking for nodes that left things open failed', { nodeId: this.nodeId }));
    const simulated = floor.directory.allIds().filter((id) => floor.directory.username(id)?.startsWith(SIMULATED_USERNAME_PREFIX));
    const live = this.membership.liveNodes();
    await this.membership.claim(simulated.filter((id) => rendezvousNode(id, live) === this.nodeId));
    this.forwarding = new RequestForwarding(
      this.command,
      this.subscriber,
      { keyPrefix: this.settings.keyPrefix, nodeId: this.nodeId, timeoutMs: this.settings.forwardTimeoutMs },
      (action, respond, from) => {
        this.actsFrom(action.caller.userId, from);
        runForwarded(action, respond);
      },
      this.log,
    );
    await this.forwarding.start();
    await this.followPresence(io);
    const m = this.membership;
    const calls = new Map<number, string>();
    this.offFloor.push(
      floor.events.on('sessionStarted', ({ session }) => m.owns(session.agentId) && m.recordOwned(session.agentId, 'session', session.sessionId)),
      floor.events.on('sessionEnded', ({ session }) => m.owns(session.agentId) && m.forgetOwned(session.agentId, 'session', session.sessionId)),
      floor.events.on('phoneChanged', ({ userId, phone }) => {
        const callId = phone.call?.callId;
        if (!callId || calls.get(userId) === callId || !m.owns(userId)) return;
        calls.set(userId, callId);
        m.recordOwned(userId, 'call', callId);
      }),
      floor.events.on('callEnded', ({ callId, agentId }) => {
        if (calls.get(agentId) === callId) calls.delete(agentId);
        if (m.owns(agentId)) m.forgetOwned(agentId, 'call', callId);
      }),
    );
  }

  private get rightsChannel(): string {
    return `${this.settings.keyPrefix}rights`;
  }

  /**
   * docs/permissions.md rule 7 across nodes: a change of profiles, users or teams made on this node (which
   * has reloaded its own floor) makes every other node reload its directory, end the sessions it holds that
   * lost their right or scope, and re-scope its boards at once. `me:rights` reaches the users' sockets on
   * every node through the adapter already.
   */
  tellRightsChanged(): void {
    this.command
      .publish(this.rightsChannel, this.nodeId)
      .catch((e: unknown) => this.log.error(e, 'cluster: a change of rights was not sent to the other nodes'));
  }

  private async followRights(floor: LiveFloor): Promise<void> {
    this.subscriber.on('message', (from: string, node: string) => {
      if (from !== this.rightsChannel || node === this.nodeId) return;
      floor.rightsChanged().catch((e: unknown) => this.log.error(e, 'cluster: applying a change of rights made on another node failed', { from: node }));
    });
    await this.subscriber.subscribe(this.rightsChannel);
  }

  private connectionOf(nodeId: string): string {
    return `node:${nodeId}`;
  }

  /** A user acts on this node from a socket on `nodeId`: that node counts as one of their connections here. */
  private actsFrom(userId: number, nodeId: string): void {
    let nodes = this.remoteUsers.get(userId);
    if (!nodes) this.remoteUsers.set(userId, (nodes = new Set()));
    nodes.add(nodeId);
    this.floor?.socketOpened(userId, this.connectionOf(nodeId));
  }

  /**
   * Tells the other nodes when a user's first socket on this node opens and their last one closes, and hears
   * the same of them: a user whose last socket on a node closed is, for the sessions they hold here, a
   * connection closed (the floor's grace, then `supervisor-disconnected`); one who came back, open again.
   * A node that leaves closes its users' connections here too.
   */
  private async followPresence(io: EarshotIo): Promise<void> {
    const channel = `${this.settings.keyPrefix}presence`;
    const tell = (userId: number, present: boolean) =>
      this.command
        .publish(channel, JSON.stringify({ node: this.nodeId, userId, present } satisfies PresenceMessage))
        .catch((e: unknown) => this.log.error(e, 'cluster: presence not sent', { userId }));
    const socketsHere = (userId: number) => io.of('/').adapter.rooms.get(userRoom(userId))?.size ?? 0;
    io.on('connection', (socket) => {
      const userId = socket.data.userId;
      // The gateway's own listener, which runs first, has put the socket in its user's room already.
      if (socketsHere(userId) <= 1) void tell(userId, true);
      socket.on('disconnect', () => {
        if (socketsHere(userId) === 0) void tell(userId, false);
      });
    });
    this.subscriber.on('message', (from: string, text: string) => {
      if (from !== channel) return;
      const reading = readNodeMessage(PresenceMessageSchema, text);
      if (!reading.ok) return this.log.warn(`cluster: a presence message was dropped (${reading.reason})`, { nodeId: this.nodeId });
      const { node, userId, present } = reading.message;
      if (node === this.nodeId || !this.remoteUsers.get(userId)?.has(node)) return;
      if (present) this.floor?.socketOpened(userId, this.connectionOf(node));
      else this.floor?.socketClosed(userId, this.connectionOf(node));
    });
    await this.subscriber.subscribe(channel);
    this.membership.on('nodeLeft', (node) => {
      for (const [userId, nodes] of this.remoteUsers) if (nodes.delete(node)) this.floor?.socketClosed(userId, this.connectionOf(node));
    });
  }

  /** Whether the telephony of this agent is this node's: it holds the agent's lease. */
  homedHere(agentId: number): boolean {
    return this.membership.owns(agentId);
  }

  /**
   * The agent's home for its plugin's attach (the actions' `AgentHomes`): this node when it is the one to be
   * (the lease taken), else the live home and its URL.
   */
  takeHome: AgentHomes['takeHome'] = async (agentId) => {
    try {
      let home = await this.membership.takeHome(agentId);
      // A home whose URL this node no longer knows left the live nodes while it was looked up: look again,
      // so that the plugin is never sent nowhere (it would stop following homes).
      if (home.nodeId !== null && home.nodeId !== this.nodeId && this.membership.urlOf(home.nodeId) === undefined) {
        home = await this.membership.takeHome(agentId);
      }
      if (home.nodeId === null || home.nodeId === this.nodeId) return { here: true };
      return { here: false, nodeId: home.nodeId, url: this.membership.urlOf(home.nodeId) ?? '' };
    } catch (e) {
      this.log.error(e, "cluster: finding an agent's home failed", { agentId, nodeId: this.nodeId });
      throw new ActionError('INTERNAL', REDIS_DOWN);
    }
  };

  /** Runs an action on this node, through its pipeline, answering `respond` (the gateway's `runForwarded`). */
  private runLocally: ((action: ForwardedAction, respond: (answer: Ack<unknown>) => void) => void) | null = null;

  /**
   * Where an action runs (the gateway's `route`). The agent's plugin attaches here, and is refused with its
   * home's URL when its home is elsewhere (`takeHome`, asked by the action). A list of what lives at agents'
   * homes is gathered from every live node. An action on an agent, session or call that another live node owns
   * is run there, through its pipeline, for this caller; everything else here.
   */
  route = async (event: string, caller: Caller, payload: unknown, runHere: () => Promise<void>, respond: Respond): Promise<void> => {
    try {
      // Refused or run here, through this node's pipeline: the action asks `takeHome` once it has passed its checks.
      if (event === 'agent:attach') return await runHere();
      if ((event === 'supervise:mine' || event === 'help:list') && this.runLocally) return respond(await this.listedEverywhere(caller, event, payload));
      const object = actionObject(event, payload, caller.userId);
      const agentId = object && (await this.agentOf(object));
      if (agentId === null || agentId === undefined || this.membership.owns(agentId)) return await runHere();
      const home = await this.membership.homeOf(agentId);
      if (home.by !== 'lease' || home.nodeId === this.nodeId) return await runHere();
      const name = this.floor?.directory.name(agentId) ?? `agent ${agentId}`;
      respond(await this.forwarding!.forward(home.nodeId, { event, payload, caller }, `the calls of ${name}`));
    } catch (e) {
      this.log.error(e, 'cluster: routing an action failed', { event, nodeId: this.nodeId });
      respond({ ok: false, error: { code: 'INTERNAL', message: REDIS_DOWN } });
    }
  };

  /**
   * A list of what lives at agents' homes (`supervise:mine`: a supervisor's sessions; `help:list`: the open
   * help requests they may see), across nodes: each live node lists its own through its pipeline; the answer
   * is all of them, or the first node's refusal (a node that does not answer is named, never left out in
   * silence: the list would look complete).
   */
  private async listedEverywhere<E extends ListedEverywhere>(caller: Caller, event: E, payload: unknown): Promise<Ack<unknown>> {
    const { what, merge } = LISTED_EVERYWHERE[event];
    const action: ForwardedAction = { event, payload, caller };
    const here = new Promise<Ack<unknown>>((resolve) => this.runLocally!(action, resolve));
    const others = this.membership.liveNodes().filter((nodeId) => nodeId !== this.nodeId);
    const answers = await Promise.all([here, ...others.map((nodeId) => this.forwarding!.forward(nodeId, action, `${what} on node ${nodeId}`))]);
    const lists: ResponseOf<E>[] = [];
    for (const answer of answers) {
      if (!answer.ok) return answer;
      lists.push(answer.data as ResponseOf<E>);
    }
    return { ok: true, data: merge(lists) };
  }

  /** The agent an action's object belongs to: from this node's floor when it is here, else as its owner recorded it. */
  private async agentOf(object: ActionObject): Promise<number | null> {
    if (object.kind === 'agent') return object.agentId;
    const floor = this.floor;
    if (object.kind === 'session') {
      const here = floor?.supervision.session(object.sessionId);
      return here ? here.agentId : this.membership.agentOf('session', object.sessionId);
    }
    try {
      if (floor) return floor.agentOfCall(object.callId);
    } catch {
      // Not a call of this node's floor: its owner recorded it, or nobody did.
    }
    return this.membership.agentOf('call', object.callId);
  }

  /** Leaves the others: forwarded actions answered, leases and membership given up, connections closed. */
  async close(): Promise<void> {
    for (const off of this.offFloor.splice(0)) off();
    this.helpLedger.close();
    await this.forwarding?.close();
    await this.membership.close().catch((e: unknown) => this.log.error(e, 'cluster: leaving the other nodes failed'));
    for (const r of [this.subscriber, this.command, this.adapterWriter, this.adapterReader]) r.disconnect();
  }
}
