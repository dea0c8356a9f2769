import type { Ack } from '@earshot/shared';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, testConfig } from '../../server/src/app.js';
import { ClusterMembership } from '../../server/src/cluster/clusterMembership.js';
import type { ForwardedAction } from '../../server/src/cluster/nodeMessages.js';
import { RequestForwarding } from '../../server/src/cluster/requestForwarding.js';
import { rendezvousNode } from '../../server/src/domain/agentHome.js';
import type { FloorLogger } from '../../server/src/live/floorPublisher.js';
import { describeWithRedis, dropKeys, freshKeyPrefix, REDIS_URL } from '../support/cluster.js';

/**
 * Node membership, agent leases and forwarded requests against the machine's Redis, each test under a key
 * prefix of its own (docs/scale-out.md).
 */
const quiet: FloorLogger = { info() {}, warn() {}, debug() {}, error() {} };

describeWithRedis('several nodes: membership, leases, forwarding', () => {
  let prefix: string;
  const opened: Redis[] = [];
  const redis = () => {
    const r = new Redis(REDIS_URL);
    opened.push(r);
    return r;
  };
  const node = (nodeId: string, leaseMs = 5000) => new ClusterMembership(redis(), { keyPrefix: prefix, nodeId, leaseMs }, quiet);

  beforeEach(() => {
    prefix = freshKeyPrefix();
  });
  afterEach(async () => {
    await dropKeys(prefix);
    for (const r of opened.splice(0)) r.disconnect();
  });

  it('a heartbeat makes a node live, with its URL; every node sees the others after its next one', async () => {
    const a = node('a');
    const b = node('b');
    await a.start('http://127.0.0.1:1001');
    await b.start('http://127.0.0.1:1002');
    expect([...b.liveNodes()].sort()).toEqual(['a', 'b']);
    expect(a.liveNodes()).toEqual(['a']);
    const joined: string[] = [];
    a.on('nodeJoined', (n) => joined.push(n));
    await a.heartbeat();
    expect([...a.liveNodes()].sort()).toEqual(['a', 'b']);
    expect(joined).toEqual(['b']);
    expect(a.urlOf('b')).toBe('http://127.0.0.1:1002');
    await a.close();
    await b.close();
  });

  it("a lease held by a node missing from this node's list (its heartbeat came after this node's last one) is still that node's", async () => {
    const a = node('a');
    const b = node('b');
    await a.start('http://127.0.0.1:1001');
    await b.start('http://127.0.0.1:1002');
    expect(a.liveNodes()).toEqual(['a']);
    const agent = [1, 2, 3, 4, 5, 6, 7, 8].find((id) => rendezvousNode(id, ['a', 'b']) === 'b')!;
    expect(await b.takeHome(agent)).toEqual({ nodeId: 'b', by: 'rendezvous' });
    expect(b.owns(agent)).toBe(true);
    expect(await a.homeOf(agent)).toEqual({ nodeId: 'b', by: 'lease' });
    expect(a.urlOf('b')).toBe('http://127.0.0.1:1002');
    expect(await a.takeHome(agent)).toEqual({ nodeId: 'b', by: 'lease' });
    expect(a.owns(agent)).toBe(false);
    await a.close();
    await b.close();
  });

  it("an agent's home is rendezvous's live node until one takes its lease; another node cannot take a lease a live node holds", async () => {
    const a = node('a');
    const b = node('b');
    await a.start('http://a');
    await b.start('http://b');
    await a.heartbeat();
    const agent = [1, 2, 3, 4, 5, 6, 7, 8].find((id) => rendezvousNode(id, ['a', 'b']) === 'b')!;
    expect(await a.homeOf(agent)).toEqual({ nodeId: 'b', by: 'rendezvous' });
    // A's take of the home finds B is to be home: it claims nothing.
    expect(await a.takeHome(agent)).toEqual({ nodeId: 'b', by: 'rendezvous' });
    expect(a.owns(agent)).toBe(false);
    expect(await b.takeHome(agent)).toEqual({ nodeId: 'b', by: 'rendezvous' });
    expect(b.owns(agent)).toBe(true);
    expect(await a.homeOf(agent)).toEqual({ nodeId: 'b', by: 'lease' });
    expect(await a.claim([agent])).toEqual(['b']);
    expect(a.owns(agent)).toBe(false);
    await a.close();
    await b.close();
  });

  it('a node that stops (cleanly) gives up its leases and leaves: the others see it leave and may take its agents', async () => {
    const a = node('a');
    const b = node('b');
    await a.start('http://a');
    await b.start('http://b');
    expect(await b.claim([41, 42])).toEqual(['b', 'b']);
    const left: string[] = [];
    a.on('nodeLeft', (n) => left.push(n));
    await a.heartbeat();
    await b.close();
    await a.heartbeat();
    expect(left).toEqual(['b']);
    expect(await a.homeOf(41)).toEqual({ nodeId: 'a', by: 'rendezvous' });
    expect(await a.claim([41, 42])).toEqual(['a', 'a']);
    await a.close();
  });

  it("a lease whose holder stopped heartbeating passes to another node; the old holder's owner writes are refused and it learns it lost the lease", async () => {
    const a = node('a', 300);
    const b = node('b', 300);
    // A beats by hand, once: then it is cut off (its connection kept, to show what it would still write).
    await a.heartbeat();
    await b.start('http://b');
    expect(await a.claim([7])).toEqual(['a']);
    await new Promise((r) => setTimeout(r, 450));
    await b.heartbeat();
    expect(b.liveNodes()).toEqual(['b']);
    expect(await b.claim([7])).toEqual(['b']);
    const check = redis();
    // A still believes it owns the agent: its write is checked against the lease in the same script, and refused.
    expect(a.owns(7)).toBe(true);
    a.recordOwned(7, 'session', 'sup-old');
    b.recordOwned(7, 'session', 'sup-new');
    await check.ping();
    await new Promise((r) => setTimeout(r, 50));
    expect(await check.get(`${prefix}owned:session:sup-old`)).toBeNull();
    expect(await check.get(`${prefix}owned:session:sup-new`)).toBe('7');
    const lost: number[] = [];
    a.on('leaseLost', (agentId) => lost.push(agentId));
    await a.heartbeat();
    expect(lost).toEqual([7]);
    expect(a.owns(7)).toBe(false);
    await a.close();
    await b.close();
  });

  it('renews every lease it holds in one heartbeat, past a thousand (batched)', async () => {
    const a = node('a', 1000);
    await a.start('http://a');
    const agents = Array.from({ length: 2500 }, (_, i) => i + 1);
    expect(new Set(await a.claim(agents))).toEqual(new Set(['a']));
    const check = redis();
    await check.pexpire(`${prefix}lease:2500`, 50);
    await a.heartbeat();
    expect(await check.pttl(`${prefix}lease:2500`)).toBeGreaterThan(500);
    expect(a.ownedAgents()).toHaveLength(2500);
    await a.close();
    expect(await check.get(`${prefix}lease:1`)).toBeNull();
  });

  it('a forwarded request is answered by the node it was sent to; one that does not answer in time is answered INTERNAL, never a hang', async () => {
    const received: ForwardedAction[] = [];
    const forwarding = (nodeId: string, run: (a: ForwardedAction, respond: (answer: Ack<unknown>) => void) => void) =>
      new RequestForwarding(redis(), redis(), { keyPrefix: prefix, nodeId, timeoutMs: 200 }, run, quiet);
    const owner = forwarding('owner', (action, respond) => {
      received.push(action);
      respond({ ok: true, data: { echoed: action.payload } });
    });
    const stuck = forwarding('stuck', () => undefined);
    const asking = forwarding('asking', () => undefined);
    await Promise.all([owner.start(), stuck.start(), asking.start()]);
    const caller = { socketId: 's1', loginId: 3, userId: 9, displayName: 'Sam Supervisor' };
    expect(await asking.forward('owner', { event: 'supervise:start', payload: { agentId: 4, mode: 'coach' }, caller }, 'the calls of Agent Four')).toEqual({
      ok: true,
      data: { echoed: { agentId: 4, mode: 'coach' } },
    });
    expect(received).toEqual([{ event: 'supervise:start', payload: { agentId: 4, mode: 'coach' }, caller }]);
    expect(await asking.forward('stuck', { event: 'supervise:start', payload: {}, caller }, 'the calls of Agent Four')).toEqual({
      ok: false,
      error: {
        code: 'INTERNAL',
        message:
          'Node stuck, which holds the calls of Agent Four, did not answer within 200 ms; the action may still have taken effect there, so check before trying again',
      },
    });
    expect(await asking.forward('gone', { event: 'supervise:start', payload: {}, caller }, 'the calls of Agent Four')).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'Node gone, which holds the calls of Agent Four, is not reachable; nothing was done, try again shortly' },
    });
    await Promise.all([owner.close(), stuck.close(), asking.close()]);
  });
});

describe('several nodes: a node without its Redis', () => {
  it('does not start, and says which Redis it could not reach', async () => {
    const config = testConfig({
      databaseUrl: null,
      cluster: { redisUrl: 'redis://127.0.0.1:1', keyPrefix: 'earshot-test:unreachable:', nodeId: 'lonely', nodeUrl: null, leaseMs: 5000 },
    });
    await expect(startServer(config)).rejects.toThrow(/^Redis at redis:\/\/127\.0\.0\.1:1 is not reachable \(REDIS_URL\): /);
  });
});
