import { describe, expect, it } from 'vitest';
import { homeOf, rendezvousNode, rendezvousWeight } from './agentHome.js';

const NODES = ['node-a', 'node-b', 'node-c'];
const AGENTS = Array.from({ length: 3000 }, (_, i) => i + 1);

describe('rendezvous hashing', () => {
  it('gives the same node for the same agent and nodes, whatever order the nodes are listed in', () => {
    for (const agent of AGENTS.slice(0, 200)) {
      expect(rendezvousNode(agent, NODES)).toBe(rendezvousNode(agent, [...NODES].reverse()));
    }
  });

  it('picks the node of highest weight', () => {
    const agent = 42;
    const best = [...NODES].sort((x, y) => rendezvousWeight(agent, y) - rendezvousWeight(agent, x))[0];
    expect(rendezvousNode(agent, NODES)).toBe(best);
  });

  it('spreads agents over the nodes: each of three gets between a quarter and two fifths', () => {
    const counts = new Map<string, number>();
    for (const agent of AGENTS) {
      const n = rendezvousNode(agent, NODES)!;
      counts.set(n, (counts.get(n) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(NODES);
    for (const c of counts.values()) {
      expect(c).toBeGreaterThan(AGENTS.length / 4);
      expect(c).toBeLessThan((AGENTS.length * 2) / 5);
    }
  });

  it('moves only the agents of a node that leaves, and each to a node that stays', () => {
    for (const agent of AGENTS) {
      const before = rendezvousNode(agent, NODES)!;
      const after = rendezvousNode(agent, ['node-a', 'node-c'])!;
      if (before !== 'node-b') expect(after).toBe(before);
      else expect(['node-a', 'node-c']).toContain(after);
    }
  });

  it('moves to a node that joins only the agents it now weighs highest for', () => {
    for (const agent of AGENTS) {
      const after = rendezvousNode(agent, [...NODES, 'node-d'])!;
      if (after !== 'node-d') expect(after).toBe(rendezvousNode(agent, NODES));
    }
  });

  it('has no node when none is alive', () => {
    expect(rendezvousNode(7, [])).toBeNull();
  });
});

describe("an agent's home", () => {
  it('is the holder of its lease while that node is alive, even when rendezvous would pick another', () => {
    const agent = AGENTS.find((a) => rendezvousNode(a, NODES) !== 'node-a')!;
    expect(homeOf(agent, 'node-a', NODES)).toEqual({ nodeId: 'node-a', by: 'lease' });
  });

  it("is the rendezvous choice among the live nodes when the lease's holder is gone", () => {
    const agent = 11;
    expect(homeOf(agent, 'node-gone', NODES)).toEqual({ nodeId: rendezvousNode(agent, NODES), by: 'rendezvous' });
  });

  it('is the rendezvous choice when nobody holds the lease', () => {
    expect(homeOf(5, null, NODES)).toEqual({ nodeId: rendezvousNode(5, NODES), by: 'rendezvous' });
  });

  it('is nowhere when no node is alive', () => {
    expect(homeOf(5, 'node-a', [])).toEqual({ nodeId: null, by: 'no-live-node' });
  });
});
