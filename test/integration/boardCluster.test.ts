import type { AgentPhoneState } from '@earshot/shared';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { testConfig } from '../../server/src/app.js';
import type { PhoneEvent } from '../../server/src/domain/phoneState.js';
import { agentOnCall, until } from '../support/floor.js';
import { closeAllSockets, connectAs, ok, startTestServer, TestClock, userId, type TestServer } from '../support/harness.js';
import { BoardClient, clusterUnder, describeWithRedis, dropKeys, freshKeyPrefix, REDIS_URL } from '../support/redisFloor.js';

/**
 * Three nodes in one process, each with its own in-memory store holding the same demo floor (the same
 * users under the same ids, as one shared database would give them), sharing one Redis under a key prefix
 * of the test's own. Each agent is owned by one node, which alone applies its phone changes; an
 * administrator's board on every node shows every agent.
 */
const NODES = ['A', 'B', 'C'] as const;
let prefix: string;
let redis: Redis;
let clock: TestClock;
let servers: TestServer[];
/** agent id → the index of the node that owns them */
let ownerOf: Map<number, number>;

async function startNode(nodeId: string): Promise<TestServer> {
  // The simulator drives no `sim.*` agent of its own: each agent's phone changes on its owner node only.
  return startTestServer({ cluster: clusterUnder(prefix, nodeId), simulator: { ...testConfig().simulator, agents: 0 } }, clock);
}

/** Every node reads the two others. */
async function untilMeshed(nodes: TestServer[]): Promise<void> {
  await until(
    () => nodes.every((s) => s.floorFeed!.readPositions().size === nodes.length - 1 && [...s.floorFeed!.readPositions().values()].every((c) => c !== null)),
    10_000,
    'every node reading the others',
  );
}

/** An administrator's board on every node, subscribed once the nodes read each other. */
async function boardsOnEveryNode(nodes: TestServer[]): Promise<BoardClient[]> {
  const clients: BoardClient[] = [];
  for (const s of nodes) {
    const client = new BoardClient((await connectAs(s.url, 'admin')).socket);
    await client.subscribe();
    clients.push(client);
  }
  return clients;
}

/** The phone each agent's owner holds. */
function ownersPhones(): Map<number, AgentPhoneState> {
  return new Map([...ownerOf].map(([id, node]) => [id, servers[node]!.floor.phoneOf(id)]));
}

function boardPhones(client: BoardClient): Map<number, AgentPhoneState> {
  return new Map(client.board!.entries.map((e) => [e.userId, e.phone]));
}

/** Until every board shows what every owner holds. */
async function untilBoardsMatchOwners(clients: BoardClient[], what: string): Promise<void> {
  await until(() => clients.every((c) => sameBoard(boardPhones(c), ownersPhones())), 20_000, what);
}

function sameBoard(a: Map<number, AgentPhoneState>, b: Map<number, AgentPhoneState>): boolean {
  return a.size === b.size && [...b].every(([id, phone]) => JSON.stringify(a.get(id)) === JSON.stringify(phone));
}

/** Agent `index`'s next change: in, available, then not ready and available again, over and over. */
function nextEvent(phone: AgentPhoneState): PhoneEvent {
  if (phone.state === 'loggedOut') return { type: 'login' };
  return phone.state === 'available' ? { type: 'setNotReady', reason: 'Lunch' } : { type: 'setAvailable' };
}

/** `count` phone changes spread over every agent, each applied by the agent's owner, a batch per turn of the event loop. */
async function drive(count: number, during?: (done: number) => Promise<void>, agents = [...ownerOf.keys()]): Promise<void> {
  for (let done = 0; done < count; ) {
    for (let i = 0; i < 50 && done < count; i += 1, done += 1) {
      const id = agents[done % agents.length]!;
      const floor = servers[ownerOf.get(id)!]!.floor;
      // Every change at its own time: a board showing an agent's last phone has every change before it.
      clock.advance(1);
      floor.applyPhone(id, nextEvent(floor.phoneOf(id)));
    }
    await during?.(done);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

beforeEach(async () => {
  prefix = freshKeyPrefix();
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  clock = new TestClock();
  servers = [];
  for (const id of NODES) servers.push(await startNode(id));
  const boardIds = (await new BoardClient((await connectAs(servers[0]!.url, 'admin')).socket).subscribe()).entries.map((e) => e.userId);
  ownerOf = new Map(boardIds.map((id, i) => [id, i % NODES.length]));
  await untilMeshed(servers);
});

afterEach(async () => {
  closeAllSockets();
  for (const s of servers) await s.close();
  await dropKeys(redis, prefix);
  redis.disconnect();
});

describeWithRedis('boards across several nodes', () => {
  it('10,000 changes from three owners reach every node’s board in contiguous seq, ending as the owners hold the phones', async () => {
    const clients = await boardsOnEveryNode(servers);
    const first = clients.map((c) => c.board!.seq);
    // Every agent of the administrator's board is owned by one of the three nodes.
    expect(new Set(ownerOf.values())).toEqual(new Set([0, 1, 2]));
    await drive(10_000);
    await untilBoardsMatchOwners(clients, 'every board showing the owners’ phones');
    await until(() => clients.every((c, i) => c.board!.seq === first[i]! + 10_000), 20_000, 'every delta');
    expect(clients.map((c) => ({ gaps: c.gaps, deltas: c.deltas, pushedSnapshots: c.pushedSnapshots }))).toEqual(
      clients.map(() => ({ gaps: 0, deltas: 10_000, pushedSnapshots: 0 })),
    );
    // A node shows the phones it does not own, and owns only its own.
    const [a] = servers;
    const ofB = [...ownerOf].find(([, node]) => node === 1)![0];
    expect(a!.floor.mirroredOwnerOf(ofB)).toBe('B');
    expect(a!.floor.allPhones().map((p) => ownerOf.get(p.userId))).toEqual(a!.floor.allPhones().map(() => 0));
    // A mirrored phone is never acted on: the node's own phone of that agent is untouched, and its telephony offers calls to its own agents only.
    expect(a!.floor.phoneOf(ofB).state).toBe('loggedOut');
    expect([...a!.floor.availableLongestFirst()].every((p) => ownerOf.get(p.userId) === 0)).toBe(true);
  });

  it('Redis paused for 2 s: every board ends in contiguous seq or a pushed snapshot, never a silent gap', async () => {
    const clients = await boardsOnEveryNode(servers);
    const pauser = new Redis(REDIS_URL);
    await drive(3000, async (done) => {
      if (done === 1000) await pauser.client('PAUSE', 2000, 'ALL');
    });
    pauser.disconnect();
    await untilBoardsMatchOwners(clients, 'every board showing the owners’ phones after the pause');
    // Contiguous: all 3000 deltas applied, or a pushed snapshot took the place of those missed; never a gap.
    const seen = clients.map((c) => ({ gaps: c.gaps, contiguousOrPushed: c.deltas === 3000 || c.pushedSnapshots > 0 }));
    expect(seen, JSON.stringify(clients.map((c) => [c.deltas, c.pushedSnapshots]))).toEqual(clients.map(() => ({ gaps: 0, contiguousOrPushed: true })));
  });

  it('a gap in an owner’s feed, and a lost tail with nothing after it, rebuild the readers from a snapshot pushed to their boards', async () => {
    const clients = await boardsOnEveryNode(servers);
    await drive(300);
    await untilBoardsMatchOwners(clients, 'boards caught up');
    expect(clients.map((c) => c.pushedSnapshots)).toEqual([0, 0, 0]);
    // One of B's entries is lost (numbered, never in the feed): the next one shows the gap.
    await redis.hincrby(`${prefix}floor:{B}:state`, 'offset', 1);
    const ofB = [...ownerOf].find(([, node]) => node === 1)![0];
    servers[1]!.floor.applyPhone(ofB, nextEvent(servers[1]!.floor.phoneOf(ofB)));
    await until(() => clients[0]!.pushedSnapshots === 1 && clients[2]!.pushedSnapshots === 1, 10_000, 'snapshots pushed on A and C');
    await untilBoardsMatchOwners(clients, 'boards rebuilt after the gap');
    // The last of C's entries is lost and C falls silent: its heartbeat shows it stands past what A and B read.
    await redis.hincrby(`${prefix}floor:{C}:state`, 'offset', 1);
    await until(() => clients[0]!.pushedSnapshots === 2 && clients[1]!.pushedSnapshots === 1, 10_000, 'snapshots pushed on A and B');
    const offsetOfC = Number(await redis.hget(`${prefix}floor:{C}:state`, 'offset'));
    expect(servers[0]!.floorFeed!.readPositions().get('C')!.offset).toBe(offsetOfC);
    expect(clients.map((c) => c.gaps)).toEqual([0, 0, 0]);
    await drive(300);
    await untilBoardsMatchOwners(clients, 'boards go on after the rebuild');
    expect(clients.map((c) => c.gaps)).toEqual([0, 0, 0]);
  });

  it('an owner that restarts begins a new epoch: the readers rebuild it from its snapshot and push it to their boards', async () => {
    const clients = await boardsOnEveryNode(servers);
    await drive(300);
    await untilBoardsMatchOwners(clients, 'boards caught up');
    const [onA, , onC] = clients as [BoardClient, BoardClient, BoardClient];
    const epochBefore = servers[1]!.floorFeed!.currentEpoch;
    await servers[1]!.close();
    servers[1] = await startNode('B');
    const epochAfter = servers[1].floorFeed!.currentEpoch;
    expect(epochAfter).not.toBe(epochBefore);
    await until(
      () => [servers[0]!, servers[2]!].every((s) => s.floorFeed!.readPositions().get('B')?.epoch === epochAfter),
      10_000,
      'A and C reading B’s new epoch',
    );
    await until(() => onA.pushedSnapshots >= 1 && onC.pushedSnapshots >= 1, 10_000, 'snapshots pushed on A and C');
    // B came back holding no phone: its agents are logged out on every board.
    const ofB = [...ownerOf].filter(([, node]) => node === 1).map(([id]) => id);
    for (const c of [onA, onC]) expect(ofB.map((id) => boardPhones(c).get(id)!.state)).toEqual(ofB.map(() => 'loggedOut'));
    await drive(300);
    await untilBoardsMatchOwners([onA, onC], 'boards go on after the restart');
    expect([onA.gaps, onC.gaps]).toEqual([0, 0]);
  });

  it('a call taken over on its owner node shows on every node’s board, and every node counts the queues alike', async () => {
    const b = servers[1]!;
    const agent = await userId(b, 'agent.sales');
    ownerOf.set(agent, 1);
    const clients = await boardsOnEveryNode(servers);
    await drive(
      200,
      undefined,
      [...ownerOf.keys()].filter((id) => id !== agent),
    );
    const onCall = await agentOnCall(b, 'agent.sales');
    const supervisor = (await connectAs(b.url, 'admin')).socket;
    await ok(supervisor, 'supervise:start', { agentId: agent, mode: 'takeOver' });
    await until(() => b.floor.takenOverCallIds().includes(onCall.callId), 5000, 'the call taken over on B');
    const takenOver = JSON.stringify(b.floor.ownTakenOver());
    await until(() => clients.every((c) => JSON.stringify(c.board!.takenOver) === takenOver), 10_000, 'the taken-over call on every board');
    await untilBoardsMatchOwners(clients, 'every board showing the owners’ phones');
    expect(clients[0]!.board!.takenOver.map((t) => [t.call.callId, t.agentId])).toEqual([[onCall.callId, agent]]);
    // Each node's queue figures count every agent of the floor where its owner holds them.
    const counts = (s: TestServer) => s.floor.queues.names().map((q) => s.floor.queues.figures(q)!.agents);
    await until(() => servers.every((s) => JSON.stringify(counts(s)) === JSON.stringify(counts(b))), 10_000, 'the same queue counts on every node');
    expect(counts(servers[0]!).some((c) => c.available + c.notReady + c.talking > 0)).toBe(true);
    expect(clients.map((c) => c.gaps)).toEqual([0, 0, 0]);
  });
});
