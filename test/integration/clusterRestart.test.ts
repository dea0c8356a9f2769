import { afterEach, expect, it } from 'vitest';
import { openPostgresStore } from '../../server/src/store/postgres/postgresStore.js';
import type { OpenSupervision } from '../../server/src/store/repositories.js';
import { describeWithRedis, REDIS_URL, storeAndPrefixForTest } from '../support/cluster.js';
import { closeAllSockets, connectAs, ok, startTestServer } from '../support/harness.js';

/** Several nodes share the store: a node starting ends the sessions it left open itself, never another live node's. */
describeWithRedis('several nodes: a node restarting', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    closeAllSockets();
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('ends its own open sessions (server-restarted) and leaves those of node B open', async () => {
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
    } finally {
      store.close();
    }

    const server = await startTestServer({
      ...shared.config,
      demo: false,
      cluster: { redisUrl: REDIS_URL, keyPrefix, nodeId: 'node-a', nodeUrl: null, leaseMs: 5000 },
    });
    cleanups.push(() => server.close());
    expect(server.store.supervisions.leftOpen().map((s) => [s.sessionId, s.nodeId])).toEqual([['sup-theirs', 'node-b']]);
    const admin = (await connectAs(server.url, 'admin')).socket;
    const { records } = await ok(admin, 'audit:query', { action: 'supervise:ended' });
    expect(records.map((r) => [r.detail.sessionId, r.detail.reason])).toEqual([['sup-mine', 'server-restarted']]);
  });
});
