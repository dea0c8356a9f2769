import { Redis } from 'ioredis';
import { afterEach, expect, it } from 'vitest';
import { openPostgresStore } from '../../server/src/store/postgres/postgresStore.js';
import type { OpenSupervision } from '../../server/src/store/repositories.js';
import { describeWithRedis, REDIS_URL, storeAndPrefixForTest } from '../support/cluster.js';
import { until } from '../support/floor.js';
import { closeAllSockets, connectAs, ok, startTestServer } from '../support/harness.js';

/**
 * Several nodes share the store: a node starting ends the sessions it left open itself, never another live
 * node's, and takes for dead a node that left sessions or help requests open and is not live.
 */
describeWithRedis('several nodes: a node restarting', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    closeAllSockets();
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('ends its own open sessions (server-restarted), leaves those of the live node B open, and ends those of a node not live (node-failed)', async () => {
    const { clock, shared, keyPrefix, agentId } = await storeAndPrefixForTest(cleanups);
    const supervisorId = shared.ids.get('manager.billing')!;
    const open = (sessionId: string, nodeId: string): OpenSupervision => ({
      sessionId,
      callId: `call-${sessionId}`,
      agentId,
      supervisor: { id: supervisorId, name: 'Morgan Billing' },
      mode: 'monitor',
      startedAt: clock.now(),
      modeSince: clock.now(),
      nodeId,
    });
    const { store } = openPostgresStore(shared.databaseUrl);
    try {
      store.supervisions.opened(open('sup-mine', 'node-a'));
      store.supervisions.opened(open('sup-theirs', 'node-b'));
      // A node that stopped while no other was live, and whose name never comes back.
      store.supervisions.opened(open('sup-gone', 'node-gone'));
    } finally {
      store.close();
    }
    // Node B is live (listed for a minute); so is a help ledger of a node that is not, with nothing readable in it.
    const redis = new Redis(REDIS_URL);
    cleanups.push(() => void redis.disconnect());
    const [seconds] = (await redis.time()) as unknown as [string, string];
    await redis.zadd(`${keyPrefix}nodes`, (Number(seconds) + 60) * 1000, 'node-b');
    await redis.hset(`${keyPrefix}node-urls`, 'node-b', 'http://127.0.0.1:9');
    await redis.hset(`${keyPrefix}help:node-lost`, 'help-1', '{}');

    const server = await startTestServer({
      ...shared.config,
      demo: false,
      cluster: { redisUrl: REDIS_URL, keyPrefix, nodeId: 'node-a', nodeUrl: null, leaseMs: 1500 },
    });
    cleanups.push(() => server.close());
    const openNow = () => server.store.supervisions.leftOpen().map((s) => [s.sessionId, s.nodeId]);
    // The one not live is ended after a heartbeat's grace (it might have been only late).
    expect(openNow()).toEqual([
      ['sup-gone', 'node-gone'],
      ['sup-theirs', 'node-b'],
    ]);
    await until(() => openNow().length === 1, 5000, 'the sessions of the node that is not live ended');
    expect(openNow()).toEqual([['sup-theirs', 'node-b']]);
    // The ledger of the node not live is taken (and its unreadable entry dropped) by the same claim.
    let ledgers = 1;
    for (const deadline = Date.now() + 5000; ledgers > 0 && Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
      ledgers = await redis.exists(`${keyPrefix}help:node-lost`);
    }
    expect(ledgers).toBe(0);
    const admin = (await connectAs(server.url, 'admin')).socket;
    const { records } = await ok(admin, 'audit:query', { action: 'supervise:ended' });
    expect(records.map((r) => [r.detail.sessionId, r.detail.reason]).sort()).toEqual([
      ['sup-gone', 'node-failed'],
      ['sup-mine', 'server-restarted'],
    ]);
  });
});
