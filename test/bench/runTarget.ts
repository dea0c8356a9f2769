/**
 * One measured run against one target (the Earshot server or the bare relay), each in its own process,
 * with fresh load workers: connect the agents (memory per idle connection), connect and subscribe the
 * supervisors, put the call agents on the phones, run the load, then join what was sent with what was
 * received.
 */
import { mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { shareOf, type BenchPlan, type FloorShape, type TargetKind } from './benchPlan.js';
import { LatencyHistogram, monotonicUs, type LatencySummary } from './latencyHistogram.js';
import { prepareStore, removePreparedStore } from './prepareStore.js';
import { summarizeProfile, type ProfileSummary } from './profileSummary.js';
import { readAtWindowEdges, type OtherProcess } from './otherProcesses.js';
import { ProcessSampler, REPO_ROOT, sampleProcess, startTargetProcess, type TargetProcess, type WindowCpu } from './targetProcess.js';
import { WorkerPool } from './workerPool.js';
import type { Analysis, Collected, PhaseResult, Progress, SendTable, WorkerAgent, WorkerSupervisor } from './workerProtocol.js';

export interface TargetResult {
  kind: TargetKind;
  connected: Connected & { agentConnectSeconds: number };
  /** RSS with the first tenth of the agents connected, with all of them, the slope between, and the peak. */
  memory: { rssFirstTenthMb: number; rssWithAgentsMb: number; perIdleAgentKb: number; peakRssMb: number };
  /** Percent of one core over the measured window, and who else ran in it. */
  cpu: WindowCpu & { busiestOthers: OtherProcess[] };
  stateToSupervisor: LatencySummary;
  /** The same split at the moment the server applied the change (wall clock, ms resolution). */
  stateSplit: { agentToServer: LatencySummary; serverToSupervisor: LatencySummary };
  /** The worst state → supervisor latency of the changes sent in each measured second, in ms. */
  stateWorstPerSecondMs: number[];
  supervisionToNotice: LatencySummary;
  ack: { agentStatus: LatencySummary; superviseStart: LatencySummary; superviseStop: LatencySummary };
  delivery: {
    statusChangesSent: number;
    expectedReceipts: number;
    received: number;
    lost: number;
    outOfOrder: number;
    skipped: number;
    seqGaps: number;
    seqBackwards: number;
    unmatched: number;
    supervisionsStarted: number;
    noticesLost: number;
  };
  counters: Record<string, number>;
  profile: ProfileSummary | null;
  measuredSeconds: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function sumPhases(results: PhaseResult[]): PhaseResult {
  return results.reduce((a, r) => ({ ok: a.ok + r.ok, failed: a.failed + r.failed, errors: [...a.errors, ...r.errors].slice(0, 8) }), {
    ok: 0,
    failed: 0,
    errors: [],
  });
}

/** Who connected in a target's two phases (agents, then supervisors), as every bench reports it. */
export interface Connected {
  agents: number;
  supervisors: number;
  failed: number;
  errors: string[];
}

export function connectedOf(agents: PhaseResult, supervisors: PhaseResult): Connected {
  return { agents: agents.ok, supervisors: supervisors.ok, failed: agents.failed + supervisors.failed, errors: [...agents.errors, ...supervisors.errors] };
}

export function mergeSends(parts: SendTable[]): SendTable {
  const n = parts.reduce((a, p) => a + p.agentIds.length, 0);
  const out: SendTable = { agentIds: new Int32Array(n), ks: new Int32Array(n), sendUs: new Float64Array(n), sendWallMs: new Float64Array(n) };
  let at = 0;
  for (const p of parts) {
    out.agentIds.set(p.agentIds, at);
    out.ks.set(p.ks, at);
    out.sendUs.set(p.sendUs, at);
    out.sendWallMs.set(p.sendWallMs, at);
    at += p.agentIds.length;
  }
  return out;
}

/**
 * What is still in flight arrives (or is lost) now: waits until every ack is in and no delta has arrived
 * for a second (bounded, so a stuck server still ends the bench).
 */
export async function drained(progressOf: () => Promise<Progress[]>): Promise<void> {
  const drainUntil = Date.now() + 120_000;
  let lastReceipts = -1;
  let quietSince = Date.now();
  while (Date.now() < drainUntil) {
    const progress = await progressOf();
    const receipts = progress.reduce((a, p) => a + p.receipts, 0);
    const pending = progress.reduce((a, p) => a + p.pendingAcks, 0);
    if (receipts !== lastReceipts) quietSince = Date.now();
    lastReceipts = receipts;
    if (pending === 0 && Date.now() - quietSince >= 1000) return;
    await sleep(250);
  }
}

async function startTarget(
  kind: TargetKind,
  plan: BenchPlan,
  shape: FloorShape,
  profileDir: string,
): Promise<{ target: TargetProcess; tokens: Map<number, string> | null; dataDir: string | null }> {
  // BENCH_NODE_FLAGS (e.g. `--trace-gc`): extra node flags for the measured process, whose output then
  // goes whole to a log file under the output folder.
  const extra = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const node = [...(plan.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), ...extra];
  const logFile = extra.length ? resolve(REPO_ROOT, plan.outDir, `${kind}-${Date.now()}.log`) : null;
  if (logFile) mkdirSync(resolve(REPO_ROOT, plan.outDir), { recursive: true });
  if (kind === 'relay') {
    // The audited relay's store: a folder of its own under a temporary one, removed as a prepared store is.
    const auditDir = plan.relayAudited ? join(mkdtempSync(join(tmpdir(), 'earshot-relay-audit-')), 'data') : null;
    try {
      const target = await startTargetProcess(
        [...node, '--import', 'tsx', 'test/bench/relayServer.ts'],
        {
          PORT: '0',
          HOST: '127.0.0.1',
          SIM_ARRIVALS_PER_MINUTE: String(plan.simArrivalsPerMinute),
          SIM_HANDLE_SECONDS: String(plan.simHandleSeconds),
          ...(auditDir ? { RELAY_AUDIT_DIR: auditDir } : {}),
        },
        /relay listening on (\d+)/,
        logFile,
      );
      return { target, tokens: null, dataDir: auditDir };
    } catch (e) {
      if (auditDir) removePreparedStore(auditDir);
      throw e;
    }
  }
  const prepared = await prepareStore(shape);
  const env: NodeJS.ProcessEnv = {
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: prepared.dataDir,
    EARSHOT_DEMO: 'off',
    LOG_LEVEL: 'warn',
    SIM_ENABLED: 'on',
    SIM_AGENTS: '0',
    SIM_OFFER_TO_REAL_AGENTS: 'on',
    SIM_ARRIVALS_PER_MINUTE: String(plan.simArrivalsPerMinute),
    SIM_HANDLE_SECONDS: String(plan.simHandleSeconds),
    SIM_SEED: '7',
    ...(plan.socketRatePerSecond ? { SOCKET_RATE_PER_SECOND: String(plan.socketRatePerSecond) } : {}),
  };
  const entry = plan.serverEntry === 'dist' ? ['server/dist/main.js'] : ['--import', 'tsx', 'server/src/main.ts'];
  try {
    const target = await startTargetProcess([...node, ...entry], env, /running at http:\/\/[^:]+:(\d+)/, logFile);
    return { target, tokens: prepared.tokens, dataDir: prepared.dataDir };
  } catch (e) {
    removePreparedStore(prepared.dataDir);
    throw e;
  }
}

export async function runTarget(kind: TargetKind, plan: BenchPlan, shape: FloorShape, log: (line: string) => void): Promise<TargetResult> {
  const profileDir = resolve(REPO_ROOT, plan.outDir, `profile-${kind}-${Date.now()}`);
  if (plan.profile) mkdirSync(profileDir, { recursive: true });
  const started = Date.now();
  const { target, tokens, dataDir } = await startTarget(kind, plan, shape, profileDir);
  const url = `http://127.0.0.1:${target.port}`;
  log(`${kind}: listening on ${url} (pid ${target.pid})`);
  const pool = new WorkerPool(plan.workers);
  const sampler = new ProcessSampler(() => [target.pid, ...pool.pids()]);
  try {
    const tokenOf = (id: number) => tokens?.get(id) ?? '';
    const callAgentSet = new Set(shape.callAgentIds);
    const agents: WorkerAgent[] = shape.agents.map((a) => ({ ...a, token: tokenOf(a.id) }));
    const supervisors: WorkerSupervisor[] = shape.supervisors.map((s) => {
      const visible = shape.visibleTo.get(s.id)!;
      return { ...s, token: tokenOf(s.id), visibleCount: visible.length, callAgentIds: visible.filter((id) => callAgentSet.has(id)) };
    });
    const shares = Array.from({ length: pool.size }, (_, w) => ({ agents: shareOf(agents, w, pool.size), supervisors: shareOf(supervisors, w, pool.size) }));
    await pool.all((w) => ({ type: 'init', target: { kind, url }, agents: shares[w]!.agents, supervisors: shares[w]!.supervisors }));
    sampler.start();

    // Memory per idle agent connection: the first tenth of the agents pays the one-time costs (compiled
    // code, the heap's first growth); the slope over the other nine tenths is what each connection holds.
    const t0 = Date.now();
    const firstPhase = sumPhases(await pool.all<PhaseResult>(() => ({ type: 'connectAgents', fromShare: 0, toShare: 0.1 }), 600_000));
    await sleep(plan.agents >= 500 ? 1500 : 300);
    const idle = sampleProcess(target.pid)!;
    const restPhase = sumPhases(await pool.all<PhaseResult>(() => ({ type: 'connectAgents', fromShare: 0.1, toShare: 1 }), 600_000));
    const agentPhase = sumPhases([firstPhase, restPhase]);
    const agentConnectSeconds = (Date.now() - t0) / 1000;
    log(
      `${kind}: ${agentPhase.ok} agents connected and attached in ${agentConnectSeconds.toFixed(1)} s${agentPhase.failed ? `, ${agentPhase.failed} failed: ${agentPhase.errors.join('; ')}` : ''}`,
    );
    // Let the handshakes' garbage go before reading the memory the idle connections hold.
    await sleep(Math.min(3000, 500 + plan.agents * 3));
    const withAgents = sampleProcess(target.pid)!;
    const perIdleAgentKb = (withAgents.rssKb - idle.rssKb) / Math.max(1, restPhase.ok);

    const supPhase = sumPhases(await pool.all<PhaseResult>(() => ({ type: 'connectSupervisors' }), 600_000));
    log(`${kind}: ${supPhase.ok} supervisors subscribed${supPhase.failed ? `, ${supPhase.failed} failed: ${supPhase.errors.join('; ')}` : ''}`);
    const callPhase = sumPhases(await pool.all<PhaseResult>(() => ({ type: 'callAgentsReady' }), 300_000));
    if (callPhase.failed) log(`${kind}: ${callPhase.failed} call agents not available: ${callPhase.errors.join('; ')}`);
    // Calls ring and are answered before the load starts, so there is something to supervise.
    if (kind === 'earshot') await sleep(plan.callWarmupMs);

    const startUs = monotonicUs() + 200_000;
    const measureFromUs = startUs + plan.warmupSeconds * 1e6;
    const endUs = measureFromUs + plan.measureSeconds * 1e6;
    const others = readAtWindowEdges(measureFromUs, endUs);
    const statusAgentsTotal = shape.agents.filter((a) => a.role === 'status').length;
    log(
      `${kind}: load for ${plan.warmupSeconds + plan.measureSeconds} s (${plan.warmupSeconds} s warm-up): ${plan.changesPerSecond} status changes/s, ${plan.supervisionsPerSecond} supervision starts/s`,
    );
    await pool.all(
      (w) => {
        const share = shares[w]!;
        const statusHere = share.agents.filter((a) => a.role === 'status').length;
        return {
          type: 'run',
          window: {
            startUs,
            measureFromUs,
            endUs,
            changesPerSecond: (plan.changesPerSecond * statusHere) / Math.max(1, statusAgentsTotal),
            supervisionsPerSecond: (plan.supervisionsPerSecond * share.supervisors.length) / shape.supervisors.length,
            supervisionHoldMs: plan.supervisionHoldMs,
          },
        };
      },
      (plan.warmupSeconds + plan.measureSeconds) * 1000 + 120_000,
    );
    await drained(() => pool.all<Progress>(() => ({ type: 'progress' })));
    sampler.stop();
    const busiestOthers = others.busiestBeside([target.pid, ...pool.pids()]);

    const collected = await pool.all<Collected>(() => ({ type: 'collect' }));
    const sends = mergeSends(collected.map((c) => c.sends));
    const analyses = await pool.all<Analysis>(() => ({ type: 'analyze', sends, measureFromUs, endUs }));

    const state = new LatencyHistogram();
    const toServer = new LatencyHistogram();
    const fromServer = new LatencyHistogram();
    const ackStatus = new LatencyHistogram();
    const ackStart = new LatencyHistogram();
    const ackStop = new LatencyHistogram();
    const counters: Record<string, number> = {};
    let matched = 0;
    let unmatched = 0;
    let outOfOrder = 0;
    let skipped = 0;
    let seqGaps = 0;
    let seqBackwards = 0;
    const worstPerSecondUs: number[] = [];
    for (const a of analyses) {
      a.worstBySecondUs.forEach((us, i) => void (worstPerSecondUs[i] = Math.max(worstPerSecondUs[i] ?? 0, us)));
      state.merge(a.stateToSupervisor);
      toServer.merge(a.agentToServer);
      fromServer.merge(a.serverToSupervisor);
      ackStatus.merge(a.ackStatus);
      ackStart.merge(a.ackSuperviseStart);
      ackStop.merge(a.ackSuperviseStop);
      matched += a.matched;
      unmatched += a.unmatched;
      outOfOrder += a.outOfOrder;
      skipped += a.skipped;
      seqGaps += a.seqGaps;
      seqBackwards += a.seqBackwards;
      for (const [k, v] of Object.entries(a.counters)) counters[k] = (counters[k] ?? 0) + v;
    }
    let expected = 0;
    let statusChangesSent = 0;
    for (let i = 0; i < sends.agentIds.length; i++) {
      if (sends.sendUs[i]! < measureFromUs || sends.sendUs[i]! >= endUs) continue;
      statusChangesSent++;
      expected += shape.watchersOf.get(sends.agentIds[i]!) ?? 0;
    }

    // Supervision start → the agent's `started` notice, joined by session id across workers.
    const noticeAt = new Map<string, number>();
    for (const c of collected) for (const n of c.notices) if (n.phase === 'started') noticeAt.set(n.sessionId, n.recvUs);
    const notice = new LatencyHistogram();
    let supervisionsStarted = 0;
    let noticesLost = 0;
    for (const c of collected) {
      for (const s of c.supervisionStarts) {
        if (s.sendUs < measureFromUs || s.sendUs >= endUs) continue;
        supervisionsStarted++;
        const at = noticeAt.get(s.sessionId);
        if (at === undefined) noticesLost++;
        else notice.add(at - s.sendUs);
      }
    }

    const result: TargetResult = {
      kind,
      connected: { ...connectedOf(agentPhase, supPhase), agentConnectSeconds },
      memory: {
        rssFirstTenthMb: idle.rssKb / 1024,
        rssWithAgentsMb: withAgents.rssKb / 1024,
        perIdleAgentKb,
        peakRssMb: sampler.peakRssKb(target.pid, 0, Infinity) / 1024,
      },
      cpu: { ...sampler.windowCpu(target.pid, pool.pids(), measureFromUs, endUs), busiestOthers },
      stateToSupervisor: state.summary(),
      stateSplit: { agentToServer: toServer.summary(), serverToSupervisor: fromServer.summary() },
      stateWorstPerSecondMs: worstPerSecondUs.map((us) => Math.round(us / 100) / 10),
      supervisionToNotice: notice.summary(),
      ack: { agentStatus: ackStatus.summary(), superviseStart: ackStart.summary(), superviseStop: ackStop.summary() },
      delivery: {
        statusChangesSent,
        expectedReceipts: expected,
        received: matched,
        lost: expected - matched,
        outOfOrder,
        skipped,
        seqGaps,
        seqBackwards,
        unmatched,
        supervisionsStarted,
        noticesLost,
      },
      counters,
      profile: null,
      measuredSeconds: plan.measureSeconds,
    };
    await pool.close();
    await target.stop();
    if (plan.profile) {
      const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
      if (file) result.profile = summarizeProfile(join(profileDir, file), measureFromUs, endUs);
      else log(`${kind}: no CPU profile was written in ${profileDir}`);
    }
    log(`${kind}: done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return result;
  } finally {
    sampler.stop();
    await pool.close();
    await target.stop();
    if (dataDir) removePreparedStore(dataDir);
  }
}
