import type { HelpRequestView, SupervisionEnded, SupervisionNotice } from '@earshot/shared';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { agentOnCallAtHome, describeWithRedis, REDIS_URL, startThreeNodes, type ThreeNodes } from '../support/cluster.js';
import { collect, until } from '../support/floor.js';
import { call, closeAllSockets, connect, connectAs, login, ok } from '../support/harness.js';

/**
 * docs/permissions.md rule 7 across nodes: a change made on A takes effect on every node's floor, and a
 * login revoked on A closes its sockets wherever they are.
 */
describeWithRedis('several nodes: rights and logins', () => {
  let cluster: ThreeNodes;
  beforeEach(async () => {
    cluster = await startThreeNodes({ homedOnC: 'agent.billing', homedOnB: 'agent.sales' });
  });
  afterEach(async () => {
    closeAllSockets();
    await cluster.close();
  });

  it('a profile edit on A ends the sessions that B and C hold which lost their right (rights-revoked), and their agents are told', async () => {
    const billing = await agentOnCallAtHome(cluster, cluster.a, 'agent.billing');
    const sales = await agentOnCallAtHome(cluster, cluster.a, 'agent.sales');
    expect([billing.node.nodeId, sales.node.nodeId]).toEqual([cluster.c.nodeId, cluster.b.nodeId]);
    const billingNotices = collect<SupervisionNotice>(billing.socket, 'notice:supervision');
    const salesNotices = collect<SupervisionNotice>(sales.socket, 'notice:supervision');
    // The trainer supervises Billing and Sales, from A: each session lives on its agent's home.
    const trainer = (await connectAs(cluster.a.url, 'trainer')).socket;
    const ended = collect<SupervisionEnded>(trainer, 'supervise:ended');
    const onC = await ok(trainer, 'supervise:start', { agentId: billing.agentId, mode: 'monitor' });
    const onB = await ok(trainer, 'supervise:start', { agentId: sales.agentId, mode: 'monitor' });
    expect(cluster.c.floor.supervision.session(onC.session.sessionId)).toBeDefined();
    expect(cluster.b.floor.supervision.session(onB.session.sessionId)).toBeDefined();

    const admin = (await connectAs(cluster.a.url, 'admin')).socket;
    const { profiles } = await ok(admin, 'profiles:list', {});
    const profile = profiles.find((p) => p.name === 'Trainer')!;
    const editedAt = performance.now();
    await ok(admin, 'profiles:update', { profileId: profile.id, rights: profile.rights.filter((r) => !r.startsWith('live.')) });
    await until(() => ended.length === 2, 10_000, 'both sessions ended');
    console.info(`a profile edit on A ended the sessions on B and C within ${(performance.now() - editedAt).toFixed(0)} ms`);

    expect(ended.map((e) => [e.sessionId, e.reason]).sort()).toEqual(
      [
        [onB.session.sessionId, 'rights-revoked'],
        [onC.session.sessionId, 'rights-revoked'],
      ].sort(),
    );
    await until(() => billingNotices.length === 2 && salesNotices.length === 2, 5000, "the agents' ended notices");
    expect([billingNotices[1], salesNotices[1]].map((n) => [n?.phase, n?.reason])).toEqual([
      ['ended', 'rights-revoked'],
      ['ended', 'rights-revoked'],
    ]);
    expect(cluster.c.floor.supervision.session(onC.session.sessionId)).toBeUndefined();
    expect(cluster.b.floor.supervision.session(onB.session.sessionId)).toBeUndefined();
    expect(cluster.a.store.supervisions.leftOpen()).toEqual([]);
  });

  it('a login revoked on A (logout) disconnects its sockets on B and C; another login of the same user stays', async () => {
    const { token } = await login(cluster.a.url, 'manager.billing');
    const sockets = [await connect(cluster.b.url, token), await connect(cluster.c.url, token)];
    const other = await connectAs(cluster.b.url, 'manager.billing');
    const closed = sockets.map((s) => new Promise<string>((resolve) => s.on('disconnect', (reason) => resolve(reason))));
    const res = await fetch(`${cluster.a.url}/api/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(await Promise.all(closed)).toEqual(['io server disconnect', 'io server disconnect']);
    expect(other.socket.connected).toBe(true);
  });

  it('a malformed message on any channel between the nodes is dropped and logged; every node goes on serving', async () => {
    const redis = new Redis(REDIS_URL);
    const junk = [
      'not json',
      '{}',
      JSON.stringify({ t: 'request', id: 'x', from: 'B', action: { event: 'supervise:start', payload: {}, caller: { userId: 'admin' } } }),
      '[1,2]',
    ];
    const channels = ['presence', 'kept-ends', ...[cluster.a, cluster.b, cluster.c].map((n) => `node:${n.nodeId}`)];
    let received = 0;
    for (const channel of channels) for (const text of junk) received += await redis.publish(`${cluster.keyPrefix}${channel}`, text);
    redis.disconnect();
    // Each message reached at least one node: the three presence and kept-ends subscribers, and each node's own channel.
    expect(received).toBeGreaterThanOrEqual(channels.length * junk.length);
    // A forwarded action still crosses: a start on A for an agent homed on C.
    const billing = await agentOnCallAtHome(cluster, cluster.a, 'agent.billing');
    const trainer = (await connectAs(cluster.a.url, 'trainer')).socket;
    const started = await ok(trainer, 'supervise:start', { agentId: billing.agentId, mode: 'monitor' });
    expect(cluster.c.floor.supervision.session(started.session.sessionId)?.mode).toBe('monitor');
  });

  it("a help request raised on the agent's home is answered from any node, once, and the agent and the others see who is on the way", async () => {
    const agent = await agentOnCallAtHome(cluster, cluster.a, 'agent.billing');
    expect(agent.node.nodeId).toBe(cluster.c.nodeId);
    const manager = await connectAs(cluster.a.url, 'manager.billing');
    const trainer = (await connectAs(cluster.b.url, 'trainer')).socket;
    const salesManager = (await connectAs(cluster.b.url, 'manager.sales')).socket;
    const seen = {
      agent: collect<HelpRequestView>(agent.socket, 'help:update'),
      trainer: collect<HelpRequestView>(trainer, 'help:update'),
    };
    const { help } = await ok(agent.socket, 'help:request', { message: 'A refund over my limit' });
    await until(() => seen.trainer.length === 1, 5000, 'the trainer on B seeing the request raised on C');
    // Listed on every node by the supervisors whose scope holds the agent, and by nobody else.
    expect((await ok(manager.socket, 'help:list', {})).requests.map((r) => r.helpId)).toEqual([help.helpId]);
    expect((await ok(trainer, 'help:list', {})).requests.map((r) => r.helpId)).toEqual([help.helpId]);
    expect(await ok(salesManager, 'help:list', {})).toEqual({ requests: [] });
    // Answered on A and on B: each is carried out where the request lives (C), through its pipeline.
    expect(await call(salesManager, 'help:ack', { helpId: help.helpId })).toMatchObject({ ok: false, error: { code: 'OUT_OF_SCOPE' } });
    const acknowledged = await ok(manager.socket, 'help:ack', { helpId: help.helpId });
    const onTheWay = { id: manager.login.me.id, name: manager.login.me.displayName };
    expect(acknowledged.help).toMatchObject({ helpId: help.helpId, acknowledgedBy: onTheWay });
    expect(await call(trainer, 'help:ack', { helpId: help.helpId })).toEqual({
      ok: false,
      error: { code: 'CONFLICT', message: `${manager.login.me.displayName} already acknowledged this help request` },
    });
    await until(() => seen.agent.length === 2 && seen.trainer.length === 2, 5000, 'the acknowledgement at the agent and at the trainer');
    expect([seen.agent[1]!.acknowledgedBy, seen.trainer[1]!.acknowledgedBy]).toEqual([onTheWay, onTheWay]);
    // A request no node holds is refused where it arrived, naming it.
    expect(await call(trainer, 'help:ack', { helpId: 'help-unknown' })).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'helpId: no open help request help-unknown' },
    });
  });

  it('supervise:mine on any node lists the sessions on every node', async () => {
    const billing = await agentOnCallAtHome(cluster, cluster.a, 'agent.billing');
    const sales = await agentOnCallAtHome(cluster, cluster.a, 'agent.sales');
    const trainer = (await connectAs(cluster.a.url, 'trainer')).socket;
    const onC = await ok(trainer, 'supervise:start', { agentId: billing.agentId, mode: 'monitor' });
    const onB = await ok(trainer, 'supervise:start', { agentId: sales.agentId, mode: 'coach' });
    const expected = [
      [onC.session.sessionId, billing.agentId, 'monitor'],
      [onB.session.sessionId, sales.agentId, 'coach'],
    ].sort();
    // The test clock stands still: both started at the same instant, so the order is not the point here.
    const listed = (r: { sessions: { sessionId: string; agentId: number; mode: string }[] }) => r.sessions.map((x) => [x.sessionId, x.agentId, x.mode]).sort();
    expect(listed(await ok(trainer, 'supervise:mine', {}))).toEqual(expected);
    const onNodeB = (await connectAs(cluster.b.url, 'trainer')).socket;
    expect(listed(await ok(onNodeB, 'supervise:mine', {}))).toEqual(expected);
    // Someone else's list holds none of them.
    const manager = (await connectAs(cluster.c.url, 'manager.billing')).socket;
    expect(await ok(manager, 'supervise:mine', {})).toEqual({ sessions: [] });
  });
});
