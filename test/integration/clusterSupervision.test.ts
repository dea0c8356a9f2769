import type { SupervisionMode, SupervisionNotice } from '@earshot/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { agentOnCallAtHome, clusterMediaUrl, describeWithRedis, startThreeNodes, type ThreeNodes } from '../support/cluster.js';
import { collect, onNoticeSent, until } from '../support/floor.js';
import { call, closeAllSockets, connectAs, ok } from '../support/harness.js';
import { MediaClient } from '../support/mediaHarness.js';

/**
 * Three nodes sharing one floor (docs/scale-out.md): the agent homed on C, supervisors on A and B. Their
 * actions are forwarded to C, whose registry decides; the audio comes from C's media plane.
 */
describeWithRedis('several nodes: supervision across nodes', () => {
  let cluster: ThreeNodes;
  afterEach(async () => {
    closeAllSockets();
    await cluster.close();
  });

  describe('the agent on C, its supervisor on A', () => {
    beforeEach(async () => {
      // The clock stands still here: the per-socket rate limit would never refill over 600 messages.
      cluster = await startThreeNodes({ overrides: { socketRatePerSecond: 10_000 } });
    });

    it('the plugin is sent from A to its home C, named by URL; over 200 starts from A, the agent hears of each before the supervisor receives a frame of it', async () => {
      const { socket: agent, node, refusal, agentId } = await agentOnCallAtHome(cluster, cluster.a, 'agent.billing');
      expect(node.nodeId).toBe(cluster.c.nodeId);
      expect(refusal).toEqual({
        code: 'CONFLICT',
        message: `Your calls are handled by node ${cluster.c.nodeId}: connect to ${cluster.c.url} to attach`,
        homeUrl: cluster.c.url,
      });
      const notices = collect<SupervisionNotice>(agent, 'notice:supervision');
      const supervisor = (await connectAs(cluster.a.url, 'manager.billing')).socket;
      // C's telephony pushes a frame of the call's audio on every turn of the event loop.
      let pumping = true;
      const pump = () => {
        if (!pumping) return;
        cluster.c.stepAudio();
        setImmediate(pump);
      };
      setImmediate(pump);
      const late: string[] = [];
      const modes: SupervisionMode[] = ['monitor', 'coach', 'barge'];
      try {
        for (let i = 0; i < 210; i++) {
          const mode = modes[i % modes.length]!;
          const { session } = await ok(supervisor, 'supervise:start', { agentId, mode });
          const token = await ok(supervisor, 'media:token', { sessionId: session.sessionId });
          expect(token.url).toBe(cluster.c.url);
          const media = await MediaClient.open(clusterMediaUrl(token), 'supervisor');
          await new Promise<void>((resolve) => {
            media.ws.once('message', () => {
              // The first frame of this session has arrived: the agent must already hold its notice.
              if (!notices.some((n) => n.sessionId === session.sessionId && n.phase === 'started' && n.mode === mode)) {
                late.push(`start ${i} (${mode}, ${session.sessionId}): a frame arrived before the agent's notice`);
              }
              resolve();
            });
          });
          media.close();
          await ok(supervisor, 'supervise:stop', { sessionId: session.sessionId });
        }
      } finally {
        pumping = false;
      }
      expect(late).toEqual([]);
      expect(notices.filter((n) => n.phase === 'started')).toHaveLength(210);
      expect(notices.filter((n) => n.phase === 'ended' && n.reason === 'stopped')).toHaveLength(210);
    });
    it("on C, the agent's notice of every start and mode change is written to its socket before C routes the supervisor a frame in that mode", async () => {
      const { agentId } = await agentOnCallAtHome(cluster, cluster.a, 'agent.billing');
      const c = cluster.c;
      const log: { kind: 'notice' | 'frame'; sessionId: string; mode: SupervisionMode; phase?: string }[] = [];
      // What C writes to the agent's socket, in the order it writes it.
      onNoticeSent(c, (n) => log.push({ kind: 'notice', sessionId: n.sessionId, mode: n.mode, phase: n.phase }));
      c.media.onFrameRouted((r) => {
        if (r.to === 'supervisor') log.push({ kind: 'frame', sessionId: r.sessionId!, mode: r.mode! });
      });
      const supervisor = (await connectAs(cluster.a.url, 'manager.billing')).socket;
      let pumping = true;
      const pump = () => {
        if (!pumping) return;
        c.stepAudio();
        setImmediate(pump);
      };
      setImmediate(pump);
      try {
        const { session } = await ok(supervisor, 'supervise:start', { agentId, mode: 'monitor' });
        const media = await MediaClient.open(clusterMediaUrl(await ok(supervisor, 'media:token', { sessionId: session.sessionId })), 'supervisor');
        for (let i = 0; i < 30; i++) {
          for (const mode of ['coach', 'barge', 'monitor'] as const) {
            await ok(supervisor, 'supervise:mode', { sessionId: session.sessionId, mode });
            await media.flush();
          }
        }
        media.close();
      } finally {
        pumping = false;
      }
      const announced = new Map<string, SupervisionMode | null>();
      const unannounced: string[] = [];
      log.forEach((e, at) => {
        if (e.kind === 'notice') return void announced.set(e.sessionId, e.phase === 'ended' ? null : e.mode);
        if (announced.get(e.sessionId) !== e.mode) unannounced.push(`#${at}: ${e.mode} frame, the agent told ${announced.get(e.sessionId) ?? 'nothing'}`);
      });
      expect(log.filter((e) => e.kind === 'notice')).toHaveLength(91);
      expect(new Set(log.filter((e) => e.kind === 'frame').map((e) => e.mode))).toEqual(new Set(['monitor', 'coach', 'barge']));
      expect(unannounced).toEqual([]);
    });
  });

  describe('a supervisor on A leaves', () => {
    beforeEach(async () => {
      cluster = await startThreeNodes();
    });

    it('when their last socket closes, C ends their session after the grace: the agent is told, with the reason', async () => {
      const { socket: agent, agentId } = await agentOnCallAtHome(cluster, cluster.a, 'agent.billing');
      const notices = collect<SupervisionNotice>(agent, 'notice:supervision');
      const supervisor = (await connectAs(cluster.a.url, 'manager.billing')).socket;
      const { session } = await ok(supervisor, 'supervise:start', { agentId, mode: 'monitor' });
      supervisor.close();
      await until(() => notices.some((n) => n.phase === 'ended'), 5000, "the session's end");
      expect(notices.map((n) => [n.phase, n.sessionId, n.reason ?? null])).toEqual([
        ['started', session.sessionId, null],
        ['ended', session.sessionId, 'supervisor-disconnected'],
      ]);
      expect(cluster.c.floor.supervision.session(session.sessionId)).toBeUndefined();
    });
  });

  describe('50 supervisors on A, B and C race to coach one call', () => {
    beforeEach(async () => {
      cluster = await startThreeNodes({ extraSupervisors: 50, overrides: { maxSupervisorsPerCall: 100 } });
    });

    it('exactly one coaches; every other is refused CONFLICT naming the one who holds the call', async () => {
      const { agentId } = await agentOnCallAtHome(cluster, cluster.b, 'agent.billing');
      const supervisors = await Promise.all(
        Array.from({ length: 50 }, (_, i) => connectAs(cluster.nodes[i % 3]!.url, `supervisor.${i + 1}`).then((c) => c.socket)),
      );
      const answers = await Promise.all(supervisors.map((s) => call(s, 'supervise:start', { agentId, mode: 'coach' })));
      const won = answers.flatMap((a, i) => (a.ok ? [i] : []));
      expect(won).toHaveLength(1);
      const holder = `Supervisor ${won[0]! + 1}`;
      const refusals = answers.filter((a) => !a.ok).map((a) => (a.ok ? null : a.error));
      expect(refusals).toHaveLength(49);
      for (const r of refusals) {
        expect(r).toEqual({ code: 'CONFLICT', message: `${holder} (coach) already holds this call: one supervisor at a time may coach, barge or take over` });
      }
      // Refused on every node alike: C's registry decided for the supervisors on A and B too.
      const refusedOn = [0, 1, 2].map((n) => answers.filter((a, i) => i % 3 === n && !a.ok).length);
      expect(refusedOn.every((count) => count >= 15)).toBe(true);
      expect(
        cluster.c.floor.supervision.sessionsOf(cluster.c.floor.directory.allIds().find((id) => cluster.c.floor.directory.name(id) === holder)!),
      ).toHaveLength(1);
    });
  });
});
