/**
 * `npm run bench -- --cluster`: what sharing the floor through Redis costs. The same floor (one PostgreSQL
 * database created for the run) and the same load (benchPlan.ts) run on one node alone and on three
 * nodes, each a process of its own under one Redis key prefix of the run's: every agent homed on the first
 * node (A), half the supervisors connected to A, the other half to B and C. A's supervisors see the
 * floor as one node's would; B's and C's through A's floor feed, and their supervise:start is forwarded
 * to A. Each round runs both targets, which of them first alternating.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createTestDatabase } from '../support/postgres.js';
import { dropKeys } from '../support/redisFloor.js';
import { floorShape, shareOf, type FloorShape } from './benchPlan.js';
import { buildClusterReport, formatClusterReport, writeClusterReport, type ClusterReport } from './clusterReport.js';
import type { ClusterPlan } from './clusterPlan.js';
import { LatencyHistogram, monotonicUs, type LatencySummary } from './latencyHistogram.js';
import { preparePostgresStore } from './prepareStore.js';
import { type Connected, connectedOf, drained, mergeSends, sumPhases } from './runTarget.js';
import { ProcessSampler, startTargetProcess, type TargetProcess } from './targetProcess.js';
import { WorkerPool } from './workerPool.js';
import type { Analysis, Collected, PhaseResult, Progress, WorkerAgent, WorkerSupervisor } from './workerProtocol.js';

export type ClusterTarget = 'one' | 'three';
/** Where a supervisor is connected: the node the agents are homed on, or another one. */
export type Side = 'owner' | 'other';

export interface SideResult {
  supervisors: number;
  stateToSupervisor: LatencySummary;
  supervisionToNotice: LatencySummary;
  expectedReceipts: number;
  received: number;
  lost: number;
  outOfOrder: number;
  seqGaps: number;
  supervisionsStarted: number;
  noticesLost: number;
}

export interface NodeResult {
  name: string;
  cpuSeconds: number;
  cpuPercent: number;
  /** `board:delta` events its supervisors received in the window. */
  deltasDelivered: number;
  /** Entries it numbered into its floor feed in the window (the owner's phone changes, taken-over calls, queue events). */
  entriesPublished: number;
  /** CPU time over the deltas it delivered and the entries it published. */
  cpuMsPerDelta: number;
}

export interface ClusterTargetResult {
  target: ClusterTarget;
  connected: Connected;
  statusChangesSent: number;
  sides: Record<Side, SideResult>;
  nodes: NodeResult[];
  /** Every command Redis ran in the window (`INFO commandstats`: a script's own commands counted beside the script), per phone event. */
  redis: { commands: number; phoneEvents: number; perPhoneEvent: number; byCommand: Record<string, number> } | null;
  counters: Record<string, number>;
  measuredSeconds: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const NODE_NAMES = ['A', 'B', 'C'] as const;

/** Every command Redis has run so far, by name, and where the owner's feed offset stands. */
async function redisCounts(redis: Redis, feedState: string): Promise<{ calls: Map<string, number>; offset: number }> {
  const info = await redis.info('commandstats');
  const calls = new Map<string, number>();
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls.set(m[1]!, Number(m[2]));
  return { calls, offset: Number((await redis.hget(feedState, 'offset')) ?? 0) };
}

/** What one run needs from its start to its end: the database, the Redis prefix, the secrets every node shares. */
interface RunContext {
  plan: ClusterPlan;
  shape: FloorShape;
  databaseUrl: string;
  tokens: Map<number, string>;
  keyPrefix: string;
  /** The nodes' own directories (A, B, C), kept for the run: each node's audit checkpoints beside its own. */
  dir: string;
  secrets: { MEDIA_TOKEN_SECRET: string; AUDIT_ANCHOR_KEY: string };
}

async function startNode(ctx: RunContext, target: ClusterTarget, name: string, round: number): Promise<TargetProcess> {
  const { plan } = ctx;
  const dataDir = join(ctx.dir, name);
  mkdirSync(dataDir, { recursive: true });
  const checkpointsOfA = `${join(ctx.dir, 'A')}.audit-checkpoints`;
  if (name !== 'A' && existsSync(checkpointsOfA)) {
    // A node refuses a chain its own checkpoint file has not anchored. A's file, written as A appended to
    // the one chain, anchors it for B and C too (the same key signs every node's): each starts from a copy.
    const a = readFileSync(checkpointsOfA, 'utf8');
    writeFileSync(`${dataDir}.audit-checkpoints`, a.slice(0, a.lastIndexOf('\n') + 1));
  }
  const env: NodeJS.ProcessEnv = {
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    DATABASE_URL: ctx.databaseUrl,
    ...ctx.secrets,
    EARSHOT_DEMO: 'off',
    LOG_LEVEL: 'warn',
    SIM_ENABLED: 'on',
    SIM_AGENTS: '0',
    SIM_OFFER_TO_REAL_AGENTS: 'on',
    // Calls are offered to the agents, who are all homed on A: the other nodes' simulators have nobody to call.
    SIM_ARRIVALS_PER_MINUTE: name === 'A' ? String(plan.simArrivalsPerMinute) : '0',
    SIM_HANDLE_SECONDS: String(plan.simHandleSeconds),
    SIM_SEED: '7',
    ...(plan.socketRatePerSecond ? { SOCKET_RATE_PER_SECOND: String(plan.socketRatePerSecond) } : {}),
    ...(target === 'three' ? { REDIS_URL: plan.redisUrl, REDIS_KEY_PREFIX: ctx.keyPrefix, NODE_ID: `${name}${round}` } : {}),
  };
  const entry = plan.serverEntry === 'dist' ? ['server/dist/main.js'] : ['--import', 'tsx', 'server/src/main.ts'];
  return startTargetProcess(entry, env, /running at http:\/\/[^:]+:(\d+)/);
}

async function runClusterTarget(ctx: RunContext, target: ClusterTarget, round: number, log: (line: string) => void): Promise<ClusterTargetResult> {
  const { plan, shape } = ctx;
  const nodes: TargetProcess[] = [];
  const ownerPool = new WorkerPool(Math.max(1, plan.workers - 1));
  const otherPool = new WorkerPool(1);
  const pools = [ownerPool, otherPool];
  const sampler = new ProcessSampler(() => [...nodes.map((n) => n.pid), ...ownerPool.pids(), ...otherPool.pids()]);
  const redis = target === 'three' ? new Redis(plan.redisUrl, { maxRetriesPerRequest: 1 }) : null;
  const say = (line: string) => log(`${target === 'one' ? 'one node' : 'three nodes'}: ${line}`);
  try {
    nodes.push(await startNode(ctx, target, 'A', round));
    const urlOf = (n: number) => `http://127.0.0.1:${nodes[n === 0 || target === 'one' ? 0 : n]!.port}`;
    // Every agent attaches while A is the only node: rendezvous over the live nodes homes them all there,
    // and the nodes started after take no agent whose lease is held.
    const callAgentSet = new Set(shape.callAgentIds);
    const agents: WorkerAgent[] = shape.agents.map((a) => ({ ...a, token: ctx.tokens.get(a.id)!, url: urlOf(0) }));
    // Even supervisors on A, odd ones on another node: B and C by turns (with one node, on it too).
    const supervisors = shape.supervisors.map((s, i) => {
      const visible = shape.visibleTo.get(s.id)!;
      const spec: WorkerSupervisor = {
        ...s,
        token: ctx.tokens.get(s.id)!,
        visibleCount: visible.length,
        callAgentIds: visible.filter((id) => callAgentSet.has(id)),
      };
      return { spec, side: (i % 2 === 0 ? 'owner' : 'other') as Side, node: i % 2 === 0 ? 0 : 1 + (Math.floor(i / 2) % 2) };
    });
    const ownerSupervisors = supervisors.filter((s) => s.side === 'owner').map((s) => ({ ...s.spec, url: urlOf(0) }));
    const ownerShares = Array.from({ length: ownerPool.size }, (_, w) => ({
      agents: shareOf(agents, w, ownerPool.size),
      supervisors: shareOf(ownerSupervisors, w, ownerPool.size),
    }));
    await ownerPool.all((w) => ({ type: 'init', target: { kind: 'earshot', url: urlOf(0) }, ...ownerShares[w]! }));

    const agentPhase = sumPhases(await ownerPool.all<PhaseResult>(() => ({ type: 'connectAgents', fromShare: 0, toShare: 1 }), 600_000));
    say(`${agentPhase.ok} agents attached at A${agentPhase.failed ? `, ${agentPhase.failed} failed: ${agentPhase.errors.join('; ')}` : ''}`);
    if (target === 'three') {
      nodes.push(await startNode(ctx, target, 'B', round), await startNode(ctx, target, 'C', round));
      // B and C read A's feed from its snapshot first.
      await sleep(2000);
    }
    const otherSupervisors = supervisors.filter((s) => s.side === 'other').map((s) => ({ ...s.spec, url: urlOf(s.node) }));
    await otherPool.all(() => ({ type: 'init', target: { kind: 'earshot', url: urlOf(0) }, agents: [], supervisors: otherSupervisors }));
    say(`nodes ${nodes.map((n, i) => `${NODE_NAMES[i]} pid ${n.pid} port ${n.port}`).join(', ')}`);
    const supPhase = sumPhases(await Promise.all(pools.map((p) => p.all<PhaseResult>(() => ({ type: 'connectSupervisors' }), 600_000))).then((r) => r.flat()));
    say(`${supPhase.ok} supervisors subscribed${supPhase.failed ? `, ${supPhase.failed} failed: ${supPhase.errors.join('; ')}` : ''}`);
    const callPhase = sumPhases(await ownerPool.all<PhaseResult>(() => ({ type: 'callAgentsReady' }), 300_000));
    if (callPhase.failed) say(`${callPhase.failed} call agents not available: ${callPhase.errors.join('; ')}`);
    await sleep(plan.callWarmupMs);

    sampler.start();
    const startUs = monotonicUs() + 200_000;
    const measureFromUs = startUs + plan.warmupSeconds * 1e6;
    const endUs = measureFromUs + plan.measureSeconds * 1e6;
    const statusAgentsTotal = shape.agents.filter((a) => a.role === 'status').length;
    const window = (statusHere: number, supervisorsHere: number) => ({
      startUs,
      measureFromUs,
      endUs,
      changesPerSecond: (plan.changesPerSecond * statusHere) / Math.max(1, statusAgentsTotal),
      supervisionsPerSecond: (plan.supervisionsPerSecond * supervisorsHere) / shape.supervisors.length,
      supervisionHoldMs: plan.supervisionHoldMs,
    });
    const feedState = `${ctx.keyPrefix}floor:{A${round}}:state`;
    const countsAt = async (us: number) => {
      await sleep(Math.max(0, (us - monotonicUs()) / 1000));
      return redis ? redisCounts(redis, feedState) : null;
    };
    say(`load for ${plan.warmupSeconds + plan.measureSeconds} s (${plan.warmupSeconds} s warm-up)`);
    const runTimeout = (plan.warmupSeconds + plan.measureSeconds) * 1000 + 120_000;
    const [, , before, after] = await Promise.all([
      ownerPool.all((w) => {
        const share = ownerShares[w]!;
        return { type: 'run', window: window(share.agents.filter((a) => a.role === 'status').length, share.supervisors.length) };
      }, runTimeout),
      otherPool.all(() => ({ type: 'run', window: window(0, otherSupervisors.length) }), runTimeout),
      countsAt(measureFromUs),
      countsAt(endUs),
    ]);
    const cpu = nodes.map((n) => ({ percent: sampler.cpuPercent(n.pid, measureFromUs, endUs) }));
    await drained(async () => (await Promise.all(pools.map((p) => p.all<Progress>(() => ({ type: 'progress' }))))).flat());
    sampler.stop();

    const collected = await Promise.all(pools.map((p) => p.all<Collected>(() => ({ type: 'collect' }))));
    const sends = mergeSends(collected.flat().map((c) => c.sends));
    const analyses = await Promise.all(pools.map((p) => p.all<Analysis>(() => ({ type: 'analyze', sends, measureFromUs, endUs }))));
    const inWindow = (us: number) => us >= measureFromUs && us < endUs;

    let statusChangesSent = 0;
    const expected: Record<Side, number> = { owner: 0, other: 0 };
    const watchers = (side: Side) => {
      const of = new Map<number, number>();
      for (const s of side === 'owner' ? ownerSupervisors : otherSupervisors) for (const id of shape.visibleTo.get(s.id)!) of.set(id, (of.get(id) ?? 0) + 1);
      return of;
    };
    const watchersOf = { owner: watchers('owner'), other: watchers('other') };
    for (let i = 0; i < sends.agentIds.length; i++) {
      if (!inWindow(sends.sendUs[i]!)) continue;
      statusChangesSent++;
      for (const side of ['owner', 'other'] as const) expected[side] += watchersOf[side].get(sends.agentIds[i]!) ?? 0;
    }
    const noticeAt = new Map<string, number>();
    for (const c of collected.flat()) for (const n of c.notices) if (n.phase === 'started') noticeAt.set(n.sessionId, n.recvUs);
    const counters: Record<string, number> = {};
    const sideResult = (side: Side, index: number): SideResult => {
      const state = new LatencyHistogram();
      const notice = new LatencyHistogram();
      let received = 0;
      let outOfOrder = 0;
      let seqGaps = 0;
      for (const a of analyses[index]!) {
        state.merge(a.stateToSupervisor);
        received += a.matched;
        outOfOrder += a.outOfOrder + a.seqBackwards;
        seqGaps += a.seqGaps;
        for (const [k, v] of Object.entries(a.counters)) counters[k] = (counters[k] ?? 0) + v;
      }
      let supervisionsStarted = 0;
      let noticesLost = 0;
      for (const c of collected[index]!) {
        for (const s of c.supervisionStarts) {
          if (!inWindow(s.sendUs)) continue;
          supervisionsStarted++;
          const at = noticeAt.get(s.sessionId);
          if (at === undefined) noticesLost++;
          else notice.add(at - s.sendUs);
        }
      }
      return {
        supervisors: side === 'owner' ? ownerSupervisors.length : otherSupervisors.length,
        stateToSupervisor: state.summary(),
        supervisionToNotice: notice.summary(),
        expectedReceipts: expected[side],
        received,
        lost: expected[side] - received,
        outOfOrder,
        seqGaps,
        supervisionsStarted,
        noticesLost,
      };
    };
    const deltasByUrl: Record<string, number> = {};
    for (const c of collected.flat()) for (const [url, n] of Object.entries(c.deltasByUrl)) deltasByUrl[url] = (deltasByUrl[url] ?? 0) + n;
    const published = before && after ? after.offset - before.offset : 0;
    const nodeResults = nodes.map((n, i): NodeResult => {
      const cpuSeconds = (cpu[i]!.percent / 100) * plan.measureSeconds;
      const deltasDelivered = deltasByUrl[`http://127.0.0.1:${n.port}`] ?? 0;
      const entriesPublished = i === 0 ? published : 0;
      return {
        name: NODE_NAMES[i]!,
        cpuSeconds,
        cpuPercent: cpu[i]!.percent,
        deltasDelivered,
        entriesPublished,
        cpuMsPerDelta: deltasDelivered + entriesPublished > 0 ? (cpuSeconds * 1000) / (deltasDelivered + entriesPublished) : NaN,
      };
    });
    let redisResult: ClusterTargetResult['redis'] = null;
    if (before && after) {
      const byCommand: Record<string, number> = {};
      for (const [name, calls] of after.calls) {
        // The bench's own reads: one INFO and one HGET between the two counts.
        const own = name === 'info' || name === 'hget' ? 1 : 0;
        const n = calls - (before.calls.get(name) ?? 0) - own;
        if (n > 0) byCommand[name] = n;
      }
      const commands = Object.values(byCommand).reduce((a, v) => a + v, 0);
      redisResult = { commands, phoneEvents: published, perPhoneEvent: published > 0 ? commands / published : NaN, byCommand };
    }
    const result: ClusterTargetResult = {
      target,
      connected: connectedOf(agentPhase, supPhase),
      statusChangesSent,
      sides: { owner: sideResult('owner', 0), other: sideResult('other', 1) },
      nodes: nodeResults,
      redis: redisResult,
      counters,
      measuredSeconds: plan.measureSeconds,
    };
    say(
      `done: same node p50 ${result.sides.owner.stateToSupervisor.p50Ms} ms, other node p50 ${result.sides.other.stateToSupervisor.p50Ms} ms` +
        (redisResult ? `, ${redisResult.perPhoneEvent.toFixed(1)} Redis commands per phone event` : ''),
    );
    return result;
  } catch (e) {
    for (const [i, n] of nodes.entries()) log(`node ${NODE_NAMES[i]} said:\n${n.output().slice(-3000)}`);
    throw e;
  } finally {
    sampler.stop();
    for (const p of pools) await p.close();
    // The other nodes first: A, the agents' home, stops last, so nobody re-homes them on the way out.
    for (const n of [...nodes].reverse()) await n.stop();
    redis?.disconnect();
  }
}

/** The whole cluster bench: a database and a key prefix for the run, `plan.rounds` rounds of both targets, the report. */
export async function runClusterBench(plan: ClusterPlan, log: (line: string) => void = console.log): Promise<ClusterReport> {
  const shape = floorShape(plan);
  const database = await createTestDatabase();
  const keyPrefix = `earshot-bench:${randomBytes(6).toString('hex')}:`;
  const dir = mkdtempSync(join(tmpdir(), 'earshot-cluster-bench-'));
  log(
    `cluster bench: ${plan.agents} agents homed on A, ${plan.supervisors} supervisors (half on A, half on B and C), ${plan.changesPerSecond} status changes/s, ${plan.supervisionsPerSecond} supervision starts/s, ${plan.warmupSeconds} s warm-up + ${plan.measureSeconds} s measured, ${plan.rounds} round(s); database ${database.name}, Redis ${plan.redisUrl} under ${keyPrefix}`,
  );
  try {
    const tokens = await preparePostgresStore(database.url, shape);
    const ctx: RunContext = {
      plan,
      shape,
      databaseUrl: database.url,
      tokens,
      keyPrefix,
      dir,
      secrets: { MEDIA_TOKEN_SECRET: randomBytes(32).toString('base64url'), AUDIT_ANCHOR_KEY: randomBytes(32).toString('base64url') },
    };
    const results: Record<ClusterTarget, ClusterTargetResult[]> = { one: [], three: [] };
    for (let round = 1; round <= plan.rounds; round++) {
      const order: ClusterTarget[] = round % 2 === 1 ? ['one', 'three'] : ['three', 'one'];
      for (const target of order) {
        if (plan.rounds > 1) log(`round ${round} of ${plan.rounds}`);
        results[target].push(await runClusterTarget(ctx, target, round, log));
      }
    }
    const report = writeClusterReport(buildClusterReport(plan, results.three, results.one));
    log(`\n${formatClusterReport(report)}\n`);
    log(`written: ${report.files!.markdown}\n         ${report.files!.json}`);
    return report;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await database.drop();
    const redis = new Redis(plan.redisUrl, { maxRetriesPerRequest: 1 });
    try {
      await dropKeys(redis, keyPrefix);
    } finally {
      redis.disconnect();
    }
  }
}
