import type { SupervisionEnded, SupervisionNotice } from '@earshot/shared';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { agentOnCallAtHome, describeWithRedis, REDIS_URL, startThreeNodes, type ThreeNodes } from '../support/cluster.js';
import { collect, until } from '../support/floor.js';
import { closeAllSockets, connectAs, ok } from '../support/harness.js';

/**
 * A node that finds one of its leases held by another node (it was cut off long enough for the agent to move)
 * ends the agent's sessions it holds, with `node-failed`, and no longer publishes the agent's phone.
 */
describeWithRedis('several nodes: a lost lease', () => {
  let cluster: ThreeNodes;
  let redis: Redis;
  beforeEach(async () => {
    cluster = await startThreeNodes();
    redis = new Redis(REDIS_URL);
  });
  afterEach(async () => {
    closeAllSockets();
    redis.disconnect();
    await cluster.close();
  });

  it("C, finding the agent's lease held by B, ends the agent's session there (node-failed): the supervisor and the agent are told, once", async () => {
    const { socket: agent, node, agentId } = await agentOnCallAtHome(cluster, cluster.a, 'agent.billing');
    expect(node.nodeId).toBe(cluster.c.nodeId);
    const notices = collect<SupervisionNotice>(agent, 'notice:supervision');
    const supervisor = (await connectAs(cluster.a.url, 'manager.billing')).socket;
    const ended = collect<SupervisionEnded>(supervisor, 'supervise:ended');
    const { session } = await ok(supervisor, 'supervise:start', { agentId, mode: 'monitor' });

    await redis.set(`${cluster.keyPrefix}lease:${agentId}`, cluster.b.nodeId, 'PX', 60_000);
    await cluster.c.cluster!.membership.heartbeat();
    expect(cluster.c.cluster!.homedHere(agentId)).toBe(false);

    await until(() => ended.length === 1 && notices.length === 2, 5000, 'the ends at the supervisor and the agent');
    expect(ended.map((e) => [e.sessionId, e.reason])).toEqual([[session.sessionId, 'node-failed']]);
    expect(notices.map((n) => [n.phase, n.reason])).toEqual([
      ['started', null],
      ['ended', 'node-failed'],
    ]);
    expect(cluster.c.floor.supervision.session(session.sessionId)).toBeUndefined();
    expect(cluster.c.store.supervisions.leftOpen()).toEqual([]);
    const { socket: admin } = await connectAs(cluster.a.url, 'admin');
    const { records } = await ok(admin, 'audit:query', { action: 'supervise:ended' });
    expect(records.map((r) => [r.action, r.targetId])).toEqual([['supervise:ended', String(agentId)]]);
  });
});
