import { afterEach, beforeEach, expect, it } from 'vitest';
import { createAgentClient, login, type AgentClient } from '../../agent-client/src/sdk/index.js';
import { DEMO_PASSWORD } from '../../server/src/app.js';
import { describeWithRedis, startThreeNodes, type ThreeNodes } from '../support/cluster.js';
import { until } from '../support/floor.js';

/** The agent SDK given any node's address attaches at the agent's home node (docs/scale-out.md). */
describeWithRedis('several nodes: the agent SDK', () => {
  let cluster: ThreeNodes;
  let client: AgentClient | null = null;
  beforeEach(async () => {
    cluster = await startThreeNodes();
  });
  afterEach(async () => {
    client?.close();
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
