import { createHash } from 'node:crypto';

/**
 * Where an agent lives when several nodes share one floor (docs/scale-out.md): the node that holds the agent's
 * lease while that node is alive; otherwise the node rendezvous hashing picks among the live ones. Rendezvous
 * (highest random weight) hashing moves only the agents of a node that leaves, and a node that joins takes
 * no agent whose lease is still held: homes stay where they are while their nodes live.
 */

/** The weight of `nodeId` for `agentId`: the first 48 bits of SHA-256 over both (the same on every node). */
export function rendezvousWeight(agentId: number, nodeId: string): number {
  return createHash('sha256').update(`${agentId}\u0000${nodeId}`).digest().readUIntBE(0, 6);
}

/** The live node of highest weight for the agent; ties (never in practice) go to the smaller id. Null: no live node. */
export function rendezvousNode(agentId: number, liveNodes: readonly string[]): string | null {
  let best: string | null = null;
  let bestWeight = -1;
  for (const node of liveNodes) {
    const w = rendezvousWeight(agentId, node);
    if (w > bestWeight || (w === bestWeight && best !== null && node < best)) {
      best = node;
      bestWeight = w;
    }
  }
  return best;
}

/** Why an agent's home is where it is: a live lease holder, or the rendezvous choice among the live nodes. */
export type AgentHome = { nodeId: string; by: 'lease' | 'rendezvous' } | { nodeId: null; by: 'no-live-node' };

export function homeOf(agentId: number, leaseHolder: string | null, liveNodes: readonly string[]): AgentHome {
  if (leaseHolder !== null && liveNodes.includes(leaseHolder)) return { nodeId: leaseHolder, by: 'lease' };
  const nodeId = rendezvousNode(agentId, liveNodes);
  return nodeId === null ? { nodeId: null, by: 'no-live-node' } : { nodeId, by: 'rendezvous' };
}
