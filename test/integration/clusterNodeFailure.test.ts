import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HelpRequestView, SupervisionEnded, SupervisionNotice } from '@earshot/shared';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { createAgentClient, login, type AgentClient } from '../../agent-client/src/sdk/index.js';
import { DEMO_PASSWORD } from '../../server/src/app.js';
import { rendezvousNode } from '../../server/src/domain/agentHome.js';
import { describeWithRedis, REDIS_URL, storeAndPrefixForTest } from '../support/cluster.js';
import { collect, until } from '../support/floor.js';
import { closeAllSockets, connectAs, ok, type ClientSocket } from '../support/harness.js';

const MAIN = join(import.meta.dirname, '../../server/dist/main.js');
/** Short, for a short test; long enough that a loaded machine's late heartbeat does not move the agent early. */
const LEASE_SECONDS = 3;

interface NodeProcess {
  nodeId: string;
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** `npm start`'s server as a process of its own, one node of the floor; resolves once it listens. */
function startNode(nodeId: string, env: Record<string, string>): Promise<NodeProcess> {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH, PORT: '0', NODE_ID: nodeId, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${nodeId}: no start within 30 s: ${out}`)), 30_000);
    child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /running at (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ nodeId, child, url: m[1]!, output: () => out });
      }
    });
    child.once('exit', (code) => reject(new Error(`${nodeId} exited ${code}: ${out}`)));
  });
}

/** What a node logged of the cluster: shown when a step fails, since the order of those lines is the story. */
function clusterLines(node: NodeProcess): string {
  return node
    .output()
    .split('\n')
    .filter((l) => l.includes('cluster:'))
    .join('\n');
}

/**
 * Three nodes as processes (the built server, PostgreSQL store, one Redis prefix, a short lease); C is killed
 * with SIGKILL while supervisors on A and B hold sessions on the call of an agent homed on C.
 */
describeWithRedis('several nodes: a node dies', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    closeAllSockets();
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it("kill -9 of C: C's sessions end once each (node-failed) for their supervisors and the agent, and C's agent re-homes and resyncs", {
    timeout: 120_000,
  }, async () => {
    const { shared, keyPrefix, agentId } = await storeAndPrefixForTest(cleanups);
    let names: string[];
    do {
      const floor = randomBytes(3).toString('hex');
      names = ['a', 'b', 'c'].map((n) => `node-${n}-${floor}`);
    } while (rendezvousNode(agentId, names) !== names[2]);
    const dir = mkdtempSync(join(tmpdir(), 'earshot-failover-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const common = {
      DATABASE_URL: shared.databaseUrl,
      REDIS_URL,
      REDIS_KEY_PREFIX: keyPrefix,
      NODE_LEASE_SECONDS: String(LEASE_SECONDS),
      MEDIA_TOKEN_SECRET: randomBytes(32).toString('base64url'),
      AUDIT_ANCHOR_KEY: 'a'.repeat(32),
      EARSHOT_DEMO: 'off',
      LOG_LEVEL: 'info',
      PASSWORD_HASH_COST: '1024',
      SOCKET_RATE_PER_SECOND: '100000',
      // Calls for the real agents only, often, that last until the agent hangs up.
      SIM_AGENTS: '0',
      SIM_ARRIVALS_PER_MINUTE: '600',
      SIM_HANDLE_SECONDS: '3600',
    };
    const nodes: NodeProcess[] = [];
    for (const nodeId of names) {
      const node = await startNode(nodeId, {
        ...common,
        DATA_DIR: join(dir, nodeId),
        AUDIT_CHECKPOINT_FILE: join(dir, `${nodeId}.audit-checkpoints`),
      });
      nodes.push(node);
      cleanups.push(() => {
        if (node.child.exitCode === null && node.child.signalCode === null) node.child.kill('SIGKILL');
      });
    }
    const [a, b, c] = nodes as [NodeProcess, NodeProcess, NodeProcess];
    // A sees C (its log says so at the heartbeat that found it): rendezvous over the three homes the agent on C.
    await until(
      () =>
        a
          .output()
          .split('\n')
          .some((l) => l.includes('a node joined') && l.includes(c.nodeId)),
      10_000,
      'A seeing C',
    );

    // The agent's plugin, given A, is sent to its home C.
    const { token } = await login({ url: a.url, username: 'agent.billing', password: DEMO_PASSWORD });
    // Short pauses between its returns to A: eight of them take less than the lease, and the client keeps
    // returning (homePatienceMs) until the survivors name the new home.
    const agent: AgentClient = createAgentClient({ url: a.url, token, reconnectionDelayMs: 100, reconnectionDelayMaxMs: 300 });
    cleanups.push(() => agent.close());
    const notices: SupervisionNotice[] = [];
    agent.on('supervision', (n) => notices.push(n));
    const resyncs: unknown[] = [];
    agent.on('resync', (r) => resyncs.push(r));
    const seen: string[] = [];
    agent.on('connection', (status) => seen.push(status));
    agent.on('error', (e) => seen.push(`${e.code}: ${e.message}`));
    await agent.ready();
    const redis = new Redis(REDIS_URL);
    const homeId = await redis.get(`${keyPrefix}lease:${agentId}`).finally(() => redis.disconnect());
    expect(homeId).toBe(c.nodeId);
    const [onA, onB] = [a, b];
    await agent.setStatus('available');
    await until(() => agent.getState().phone?.state === 'ringing', 20_000, "a call offered by C's simulator");
    await agent.answer();

    // Two supervisors, on A and on B, each with a session on the call (run on C).
    const supervisors: { socket: ClientSocket; ended: SupervisionEnded[]; help: HelpRequestView[]; sessionId: string }[] = [];
    for (const [node, username, mode] of [
      [onA, 'manager.billing', 'coach'],
      [onB, 'trainer', 'monitor'],
    ] as const) {
      const { socket } = await connectAs(node.url, username);
      const ended = collect<SupervisionEnded>(socket, 'supervise:ended');
      const help = collect<HelpRequestView>(socket, 'help:update');
      const { session } = await ok(socket, 'supervise:start', { agentId, mode }).catch((e: Error) => {
        throw new Error(`${e.message}\n${nodes.map((n) => `${n.nodeId}'s log:\n${clusterLines(n)}`).join('\n')}`);
      });
      supervisors.push({ socket, ended, help, sessionId: session.sessionId });
    }
    // Both sessions are C's (a session's id ends with its node's name).
    expect(supervisors.map((s) => s.sessionId.replace(/^sup-\d+-[0-9a-z]+-/, ''))).toEqual([c.nodeId, c.nodeId]);
    const resyncsBefore = resyncs.length;
    // The agent asks for help: a request C holds, shown to both supervisors.
    const raised = await agent.requestHelp('The card reader froze');
    await until(() => supervisors.every((s) => s.help.length === 1), 10_000, 'the help request at both supervisors');

    const killedAt = performance.now();
    c.child.kill('SIGKILL');
    await new Promise((resolve) => c.child.once('exit', resolve));
    await until(() => supervisors.every((s) => s.ended.length === 1), 20_000, 'supervise:ended at both supervisors');
    console.info(`after C's kill -9 (lease ${LEASE_SECONDS} s), both supervisors had supervise:ended within ${(performance.now() - killedAt).toFixed(0)} ms`);
    expect(supervisors.map((s) => s.ended.map((e) => [e.sessionId, e.reason]))).toEqual(supervisors.map((s) => [[s.sessionId, 'node-failed']]));
    // C's open help request ends for both supervisors, who would otherwise show it until they listed again.
    await until(() => supervisors.every((s) => s.help.length === 2), 20_000, 'the help request ended at both supervisors');
    expect(supervisors.map((s) => s.help.map((h) => [h.helpId, h.endReason]))).toEqual(
      supervisors.map(() => [
        [raised.helpId, null],
        [raised.helpId, 'node-failed'],
      ]),
    );

    // C's agent goes back to A, is sent to its new home among A and B, attaches, and resyncs there.
    await until(() => resyncs.length > resyncsBefore && agent.getState().connection === 'connected', 20_000, "the agent's resync at its new home").catch(
      (e: Error) => {
        throw new Error(`${e.message}; the client saw: ${seen.join(' / ')}\nA's log:\n${clusterLines(a)}\nB's log:\n${clusterLines(b)}`);
      },
    );
    await until(() => notices.filter((n) => n.phase === 'ended').length === 2, 10_000, "the agent's two ended notices");
    expect(
      notices
        .filter((n) => n.phase === 'ended')
        .map((n) => [n.sessionId, n.reason])
        .sort(),
    ).toEqual(supervisors.map((s) => [s.sessionId, 'node-failed']).sort());
    expect(agent.getState().supervisions).toEqual([]);

    // One audit record per session, written by one of the survivors; no session left open.
    const db = new pg.Client({ connectionString: shared.databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query<{ detail: string }>("SELECT detail FROM audit WHERE action = 'supervise:ended' ORDER BY id");
      expect(
        rows
          .map((r) => JSON.parse(r.detail) as { sessionId: string; reason: string })
          .map((d) => [d.sessionId, d.reason])
          .sort(),
      ).toEqual(supervisors.map((s) => [s.sessionId, 'node-failed']).sort());
      expect((await db.query('SELECT session_id FROM open_supervisions')).rows).toEqual([]);
      // The help request's end too, once.
      const help = await db.query<{ target_id: string; detail: string }>("SELECT target_id, detail FROM audit WHERE action = 'help:ended'");
      expect(help.rows.map((r) => [r.target_id, (JSON.parse(r.detail) as { reason: string }).reason])).toEqual([[raised.helpId, 'node-failed']]);
    } finally {
      await db.end();
    }
    const endedBy = [onA, onB].filter((n) => n.output().includes('its open supervision sessions were ended here (node-failed)'));
    expect(endedBy).toHaveLength(1);
  });
});
