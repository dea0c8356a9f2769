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
});
