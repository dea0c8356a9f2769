import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { describe, it } from 'vitest';
import { startServer, testConfig, type ServerConfig } from '../../server/src/app.js';
import { createDemoFloor } from '../../server/src/bootstrap/demoFloor.js';
import { installProfiles } from '../../server/src/bootstrap/installProfiles.js';
import { rendezvousNode } from '../../server/src/domain/agentHome.js';
import { openPostgresStore } from '../../server/src/store/postgres/postgresStore.js';
import type { SimulatedAudio } from '../../server/src/telephony/simulatedCallAudio.js';
import type { MediaTokenResponse, WireError } from '@earshot/shared';
import { waitForPhone } from './floor.js';
import { call, connect, login, ok, TestClock, type ClientSocket, type TestServer } from './harness.js';
import { ToneTelephony } from './mediaHarness.js';
import { createTestDatabase, START_POSTGRES, TEST_POSTGRES } from './postgres.js';

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const START_REDIS = 'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no';

async function redisAnswers(): Promise<boolean> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

async function postgresAnswers(): Promise<boolean> {
  try {
    await (await createTestDatabase()).drop();
    return true;
  } catch {
    return false;
  }
}

export const redisAvailable = await redisAnswers();
const postgresUp = await postgresAnswers();

/**
 * A describe block that needs Redis and PostgreSQL (the nodes share their store there). In CI (CI=true) a
 * missing service fails the run; on a developer's machine the block is skipped with how to start it.
 */
export function describeWithRedis(name: string, body: () => void): void {
  const missing = [
    ...(redisAvailable ? [] : [`Redis is not answering at ${REDIS_URL}: start it with: ${START_REDIS}`]),
    ...(postgresUp ? [] : [`PostgreSQL is not answering at ${TEST_POSTGRES}: start it with: ${START_POSTGRES}`]),
  ];
  if (missing.length === 0) describe(name, body);
  else if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs Redis and PostgreSQL', () => {
        throw new Error(missing.join('; '));
      });
    });
  } else {
    console.warn(`Skipping "${name}": ${missing.join('; ')}`);
    describe.skip(name, body);
  }
}

/** A key prefix of its own for one test: nothing it writes meets another test's keys. */
export function freshKeyPrefix(): string {
  return `earshot-test:${randomBytes(6).toString('hex')}:`;
}

/** Removes every key under the prefix (the streams adapter's stream, leases, nodes). */
export async function dropKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/**
 * The store the nodes share, with its users created before any node starts: a PostgreSQL database of the
 * test's own, as several nodes share one in production. Each node's DATA_DIR (recordings, the audit anchor)
 * is the test's temporary directory.
 */
const homes = { agentIds: new Map<string, number>() };

export interface SharedStore {
  config: Partial<ServerConfig>;
  /** Every user's id by username. */
  ids: ReadonlyMap<string, number>;
  databaseUrl: string;
  remove(): Promise<void>;
}

/**
 * What a test of its own nodes needs first: a shared store and a Redis key prefix, each removed by
 * `cleanups` (run in reverse after the test), the test's clock, and the Billing agent's id.
 */
export async function storeAndPrefixForTest(cleanups: (() => Promise<void> | void)[]) {
  const clock = new TestClock();
  const shared = await sharedStore(clock);
  cleanups.push(() => shared.remove());
  const keyPrefix = freshKeyPrefix();
  cleanups.push(() => dropKeys(keyPrefix));
  return { clock, shared, keyPrefix, agentId: shared.ids.get('agent.billing')! };
}

/** The demo floor, and `extraSupervisors` managers of Billing (`supervisor.1`, ...) beside `manager.billing`. */
export async function sharedStore(clock: TestClock, extraSupervisors = 0): Promise<SharedStore> {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-cluster-'));
  const dataDir = join(dir, 'data');
  const database = await createTestDatabase();
  const { store } = openPostgresStore(database.url);
  try {
    await installProfiles(store, clock.now());
    await createDemoFloor(store, clock.now(), 1024);
    const manager = (await store.profiles.getByKey('manager'))!;
    const billing = (await store.teams.list()).find((t) => t.name === 'Billing')!;
    const passwordHash = (await store.users.credentials('manager.billing'))!.passwordHash;
    for (let i = 1; i <= extraSupervisors; i++) {
      const name = `Supervisor ${i}`;
      store.users.create(
        { username: `supervisor.${i}`, displayName: name, passwordHash, profileId: manager.id, memberOf: [], supervises: [billing.id], extension: null },
        clock.now(),
      );
    }
    homes.agentIds = new Map((await store.users.list()).map((u) => [u.username, u.id]));
  } finally {
    store.close();
  }
  return {
    config: {
      databaseUrl: database.url,
      dataDir,
      recordingsDir: join(dir, 'recordings'),
      auditAnchorKey: 'a'.repeat(32),
      auditCheckpointFile: join(dir, 'audit-checkpoints'),
    },
    ids: homes.agentIds,
    databaseUrl: database.url,
    remove: async () => {
      rmSync(dir, { recursive: true, force: true });
      await database.drop();
    },
  };
}

export interface ClusterTestNode extends TestServer {
  nodeId: string;
  tones: ToneTelephony;
}

export interface ThreeNodes {
  a: ClusterTestNode;
  b: ClusterTestNode;
  c: ClusterTestNode;
  nodes: ClusterTestNode[];
  keyPrefix: string;
  clock: TestClock;
  close(): Promise<void>;
}

/**
 * Three nodes in this process on loopback ports, one Redis key prefix of their own, one shared store and one
 * media token secret; each node's simulator speaks tones (the customer at 440 Hz) and is stepped by hand.
 */
export async function startThreeNodes(
  options: { forwardTimeoutMs?: number; overrides?: Partial<ServerConfig>; extraSupervisors?: number; homedOnC?: string; homedOnB?: string } = {},
): Promise<ThreeNodes> {
  const clock = new TestClock();
  const keyPrefix = freshKeyPrefix();
  const shared = await sharedStore(clock, options.extraSupervisors);
  const mediaTokenSecret = randomBytes(32).toString('base64url');
  // Node names for which rendezvous homes this agent on C (the third), so a test knows where its agent lives.
  const homed = shared.ids.get(options.homedOnC ?? 'agent.billing')!;
  const homedOnB = options.homedOnB === undefined ? null : shared.ids.get(options.homedOnB)!;
  let names: string[];
  do {
    const floor = randomBytes(3).toString('hex');
    names = ['a', 'b', 'c'].map((n) => `node-${n}-${floor}`);
  } while (rendezvousNode(homed, names) !== names[2] || (homedOnB !== null && rendezvousNode(homedOnB, names) !== names[1]));
  const nodes: ClusterTestNode[] = [];
  try {
    for (const nodeId of names) {
      const tones = new ToneTelephony();
      const config = testConfig({
        ...shared.config,
        mediaTokenSecret,
        ...options.overrides,
        cluster: { redisUrl: REDIS_URL, keyPrefix, nodeId, nodeUrl: null, leaseMs: 5000 },
      });
      const server = await startServer(config, { now: clock.now, simulatedAudio: tones as SimulatedAudio, forwardTimeoutMs: options.forwardTimeoutMs });
      // A test may stop a node itself; the cluster's close stops the others.
      const close = server.close.bind(server);
      let closed: Promise<void> | null = null;
      nodes.push(Object.assign(server, { clock, nodeId, tones, close: () => (closed ??= close()) }));
    }
    // Every node sees the three: a heartbeat each after the last one joined.
    for (const n of nodes) await n.cluster!.membership.heartbeat();
  } catch (e) {
    for (const n of nodes) await n.close();
    await shared.remove();
    throw e;
  }
  const [a, b, c] = nodes as [ClusterTestNode, ClusterTestNode, ClusterTestNode];
  return {
    a,
    b,
    c,
    nodes,
    keyPrefix,
    clock,
    async close() {
      for (const n of nodes) await n.close();
      await shared.remove();
      await dropKeys(keyPrefix);
    },
  };
}

/**
 * The agent's plugin as the SDK connects it: to `via` first; refused there with its home's URL, to its home.
 * Answers the attached socket, the node it attached at, and the refusal it followed (null: `via` was home).
 */
export async function attachAtHome(
  cluster: ThreeNodes,
  via: ClusterTestNode,
  username: string,
): Promise<{ socket: ClientSocket; node: ClusterTestNode; refusal: WireError | null }> {
  const { token } = await login(via.url, username);
  const first = await connect(via.url, token);
  const answer = await call(first, 'agent:attach', {});
  if (answer.ok) return { socket: first, node: via, refusal: null };
  first.close();
  const node = cluster.nodes.find((n) => n.url === answer.error.homeUrl);
  if (!node) throw new Error(`agent:attach at ${via.nodeId} refused without a home: ${answer.error.code} ${answer.error.message}`);
  const socket = await connect(node.url, token);
  await ok(socket, 'agent:attach', {});
  return { socket, node, refusal: answer.error };
}

/** The agent, attached at its home, available, offered a call by its home's simulator, answered. */
export async function agentOnCallAtHome(cluster: ThreeNodes, via: ClusterTestNode, username: string) {
  const attached = await attachAtHome(cluster, via, username);
  const { socket, node } = attached;
  await ok(socket, 'agent:status', { status: 'available' });
  const agentId = cluster.a.floor.directory.allIds().find((id) => cluster.a.floor.directory.username(id) === username)!;
  const ringing = waitForPhone(socket, (p) => p.state === 'ringing');
  node.simulator!.placeCall({ toUserId: agentId });
  node.simulator!.tick();
  const callId = (await ringing).call!.callId;
  await ok(socket, 'call:answer', { callId });
  return { ...attached, agentId, callId };
}

/** The media socket's URL at the node the token names (the node of the call's media). */
export function clusterMediaUrl(token: MediaTokenResponse): string {
  if (!token.url) throw new Error('the media token names no node');
  return `${token.url.replace(/^http/, 'ws')}${token.path}?token=${encodeURIComponent(token.token)}`;
}
