import { Redis } from 'ioredis';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createAgentClient, login, type AgentClient } from '../../agent-client/src/sdk/index.js';
import { DEMO_PASSWORD } from '../../server/src/app.js';
import { describeWithRedis, REDIS_URL, startThreeNodes, type ThreeNodes } from '../support/cluster.js';
import { until } from '../support/floor.js';
import { call, closeAllSockets, connectAs } from '../support/harness.js';

/** The agent SDK given any node's address attaches at the agent's home node (docs/scale-out.md). */
describeWithRedis('several nodes: the agent SDK', () => {
  let cluster: ThreeNodes;
  let client: AgentClient | null = null;
  beforeEach(async () => {
    cluster = await startThreeNodes();
  });
  afterEach(async () => {
    client?.close();
    closeAllSockets();
    await cluster.close();
  });

  it('given node A, it is sent to its home C once, attaches there, and follows the calls that C offers it', async () => {
    const { token } = await login({ url: cluster.a.url, username: 'agent.billing', password: DEMO_PASSWORD });
    client = createAgentClient({ url: cluster.a.url, token });
    const ready = await client.ready();
    expect(ready.connection).toBe('connected');
    const agentId = client.userId!;
    expect(cluster.nodes.map((n) => n.floor.isAgentAttached(agentId))).toEqual([false, false, true]);
    expect(cluster.c.cluster!.homedHere(agentId)).toBe(true);
    await client.setStatus('available');
    cluster.c.simulator!.placeCall({ toUserId: agentId });
    cluster.c.simulator!.tick();
    await until(() => client!.getState().phone?.state === 'ringing', 3000, 'the call C offered at the SDK');
  });

  it('an attach away from home is refused by the pipeline: audited where it was refused, and nobody who may not handle calls is given a home', async () => {
    const agent = await connectAs(cluster.a.url, 'agent.billing');
    const agentId = agent.login.me.id;
    const refusal = {
      code: 'CONFLICT',
      message: `Your calls are handled by node ${cluster.c.nodeId}: connect to ${cluster.c.url} to attach`,
      homeUrl: cluster.c.url,
    };
    expect(await call(agent.socket, 'agent:attach', {})).toEqual({ ok: false, error: refusal });
    const attaches = () => [...cluster.a.store.audit.scan()].filter((r) => r.action === 'agent:attach');
    expect(attaches()).toMatchObject([{ actorId: agentId, outcome: 'refused', code: 'CONFLICT', detail: { message: refusal.message } }]);

    // A manager holds no Handle Calls: refused before any home is looked up, so no node holds a lease for them.
    const manager = await connectAs(cluster.a.url, 'manager.billing');
    const managerId = manager.login.me.id;
    const answer = await call(manager.socket, 'agent:attach', {});
    expect(answer).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(attaches().filter((r) => r.actorId === managerId)).toMatchObject([{ outcome: 'denied', code: 'FORBIDDEN' }]);
    const redis = new Redis(REDIS_URL);
    try {
      expect(await redis.get(`${cluster.keyPrefix}lease:${managerId}`)).toBeNull();
    } finally {
      redis.disconnect();
    }
    expect(cluster.nodes.map((n) => n.cluster!.homedHere(managerId))).toEqual([false, false, false]);
  });

  /**
   * The nodes disagree on the agent's home, as while a dead node's lease runs out: its lease is held by a node
   * that Redis lists under B's address, so A sends the client to B, and B, which is not that node, sends it
   * on to that node's address, its own. The client goes back to A each time (a return with a refusal).
   */
  async function homeInDispute(agentId: number): Promise<() => Promise<void>> {
    const redis = new Redis(REDIS_URL);
    const [seconds] = (await redis.time()) as unknown as [string, string];
    const p = cluster.keyPrefix;
    await redis.set(`${p}lease:${agentId}`, 'node-elsewhere', 'PX', 60_000);
    await redis.zadd(`${p}nodes`, (Number(seconds) + 60) * 1000, 'node-elsewhere');
    await redis.hset(`${p}node-urls`, 'node-elsewhere', cluster.b.url);
    return async () => {
      await redis.del(`${p}lease:${agentId}`);
      await redis.zrem(`${p}nodes`, 'node-elsewhere');
      await redis.hdel(`${p}node-urls`, 'node-elsewhere');
      redis.disconnect();
    };
  }

  it('while the nodes disagree on its home, it keeps going back to the given address past eight returns, and attaches once they agree', async () => {
    const { token, me } = await login({ url: cluster.a.url, username: 'agent.billing', password: DEMO_PASSWORD });
    const settle = await homeInDispute(me.id);
    const seen: string[] = [];
    client = createAgentClient({ url: cluster.a.url, token, reconnectionDelayMs: 20, reconnectionDelayMaxMs: 50, homePatienceMs: 30_000 });
    client.on('connection', (status) => seen.push(status));
    client.on('error', (e) => seen.push(`${e.code}: ${e.message}`));
    // Eight returns at 20 to 50 ms each, with the connections between them: well within 2 s.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(seen).toEqual([]);
    await settle();
    await client.ready();
    expect(client.getState().connection).toBe('connected');
    expect(cluster.c.floor.isAgentAttached(me.id)).toBe(true);
  });

  it('once its patience has run out, it reports the last refusal', async () => {
    const { token, me } = await login({ url: cluster.a.url, username: 'agent.billing', password: DEMO_PASSWORD });
    const settle = await homeInDispute(me.id);
    try {
      client = createAgentClient({ url: cluster.a.url, token, reconnectionDelayMs: 20, reconnectionDelayMaxMs: 50, homePatienceMs: 500 });
      const errors: string[] = [];
      client.on('error', (e) => errors.push(`${e.code}: ${e.message}`));
      await until(() => client!.getState().connection === 'closed', 10_000, 'the client giving up');
      expect(errors).toEqual([`CONFLICT: Your calls are handled by node node-elsewhere: connect to ${cluster.b.url} to attach`]);
    } finally {
      await settle();
    }
  });

  it('when its home stops, it goes back to the address it was given and is sent to its new home', async () => {
    const { token } = await login({ url: cluster.a.url, username: 'agent.billing', password: DEMO_PASSWORD });
    client = createAgentClient({ url: cluster.a.url, token, reconnectionDelayMs: 50, reconnectionDelayMaxMs: 100 });
    await client.ready();
    const agentId = client.userId!;
    const resyncs: unknown[] = [];
    client.on('resync', (r) => resyncs.push(r));
    // C stops cleanly: it gives up its leases and leaves; A and B see it gone at their next heartbeat.
    await cluster.c.close();
    await cluster.a.cluster!.membership.heartbeat();
    await cluster.b.cluster!.membership.heartbeat();
    await until(() => resyncs.length > 0, 5000, 'the resync at the new home');
    const home = [cluster.a, cluster.b].find((n) => n.floor.isAgentAttached(agentId));
    expect(home?.cluster?.homedHere(agentId)).toBe(true);
    expect(client.getState().connection).toBe('connected');
  });
});
