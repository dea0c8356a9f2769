/**
 * The media bench: the bare relay and the Earshot server, each in its own process, fed the same calls by
 * the same load workers, `plan.rounds` times each, taking turns; then the report (mediaReport.ts).
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TargetKind } from './benchPlan.js';
import { LatencyHistogram, monotonicUs, type LatencySummary } from './latencyHistogram.js';
import type { MediaAnalysis, MediaTargetInfo, MediaWorkerCall, MediaWorkerCommand } from './mediaWorker.js';
import { describeMediaPlan, mediaFloor, type MediaCallSpec, type MediaPlan } from './mediaPlan.js';
import { buildMediaReport, formatMediaReport, writeMediaReport, type MediaReport } from './mediaReport.js';
import type { CounterTree, TargetMediaStats } from './mediaFeed.js';
import { prepareStore, removePreparedStore } from './prepareStore.js';
import { summarizeProfile, type ProfileSummary } from './profileSummary.js';
import { readAtWindowEdges, type OtherProcess } from './otherProcesses.js';
import { ProcessSampler, REPO_ROOT, sampleProcess, startTargetProcess, type WindowCpu } from './targetProcess.js';
import { WorkerPool } from './workerPool.js';

const MEDIA_WORKER_FILE = fileURLToPath(new URL('./mediaWorker.ts', import.meta.url));

export interface MediaTargetResult {
  kind: TargetKind;
  calls: { set: number; listening: number; failed: number; errors: string[] };
  latency: LatencySummary;
  jitter: LatencySummary;
  delivery: { expected: number; received: number; lost: number; late: number; outOfOrder: number; corrupted: number; silenceFilled: number };
  worstStepMs: number;
  coachBack: LatencySummary & { sent: number; received: number; broken: number };
  /** Percent of one core over the measured window, and who else ran in it. */
  cpu: WindowCpu & { busiestOthers: OtherProcess[] };
  memory: { peakRssMb: number; perMonitoredCallKb: number };
  /** Bytes the recorder added to its folder over the window, per second (Earshot). */
  recorderBytesPerSecond: number | null;
  loopDelay: { p99Ms: number; maxMs: number };
  counters: Record<string, number>;
  errors: string[];
  target: CounterTree;
  /** How much each of the target's counters grew over the measured window. */
  targetInWindow: CounterTree;
  profile: ProfileSummary | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function folderBytes(dir: string): number {
  let total = 0;
  for (const f of readdirSync(dir)) {
    try {
      total += statSync(join(dir, f)).size;
    } catch {
      // removed between the listing and the stat
    }
  }
  return total;
}

async function startMediaTarget(kind: TargetKind, plan: MediaPlan, floor: ReturnType<typeof mediaFloor>, profileDir: string) {
  // BENCH_NODE_FLAGS (e.g. `--trace-gc`), as in the control bench: extra node flags for the measured process,
  // whose output then goes whole to a log file under the output folder.
  const extra = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const node = [...(plan.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), ...extra];
  const logFile = extra.length ? resolve(REPO_ROOT, plan.outDir, `media-${kind}-${Date.now()}.log`) : null;
  if (logFile) mkdirSync(resolve(REPO_ROOT, plan.outDir), { recursive: true });
  if (kind === 'relay') {
    const target = await startTargetProcess([...node, '--import', 'tsx', 'test/bench/mediaRelay.ts'], {}, /media relay on (\d+)/, logFile);
    return { target, feedPort: target.port, tokens: null, dataDir: null, recordingsDir: null };
  }
  const prepared = await prepareStore(floor.shape);
  const recordingsDir = mkdtempSync(join(tmpdir(), 'earshot-bench-recordings-'));
  const env: NodeJS.ProcessEnv = {
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: prepared.dataDir,
    RECORDINGS_DIR: recordingsDir,
    EARSHOT_DEMO: 'off',
    LOG_LEVEL: 'warn',
    SIM_ENABLED: 'off',
    BENCH_SERVER_ENTRY: plan.serverEntry,
  };
  try {
    const target = await startTargetProcess([...node, '--import', 'tsx', 'test/bench/mediaServer.ts'], env, /media bench server on (\d+) feed \d+/, logFile);
    const feedPort = Number(/media bench server on \d+ feed (\d+)/.exec(target.output())![1]);
    return { target, feedPort, tokens: prepared.tokens, dataDir: prepared.dataDir, recordingsDir };
  } catch (e) {
    removePreparedStore(prepared.dataDir);
    rmSync(recordingsDir, { recursive: true, force: true });
    throw e;
  }
}

type Phase = { ok: number; failed: number; errors: string[] };
const sumPhases = (list: Phase[]): Phase =>
  list.reduce((a, p) => ({ ok: a.ok + p.ok, failed: a.failed + p.failed, errors: [...a.errors, ...p.errors].slice(0, 8) }), { ok: 0, failed: 0, errors: [] });

export async function runMediaTarget(
  kind: TargetKind,
  plan: MediaPlan,
  floor: ReturnType<typeof mediaFloor>,
  log: (line: string) => void,
): Promise<MediaTargetResult> {
  const profileDir = resolve(REPO_ROOT, plan.outDir, `profile-media-${kind}-${Date.now()}`);
  if (plan.profile) mkdirSync(profileDir, { recursive: true });
  const started = Date.now();
  const { target, feedPort, tokens, dataDir, recordingsDir } = await startMediaTarget(kind, plan, floor, profileDir);
  const url = `http://127.0.0.1:${target.port}`;
  log(`media ${kind}: listening on ${url} (pid ${target.pid})`);
  const pool = new WorkerPool<MediaWorkerCommand>(plan.workers, MEDIA_WORKER_FILE);
  const sampler = new ProcessSampler(() => [target.pid, ...pool.pids()]);
  try {
    const info: MediaTargetInfo = { kind, url, feedUrl: `ws://127.0.0.1:${feedPort}/feed` };
    const share = (w: number) => floor.calls.filter((_, i) => i % pool.size === w);
    const workerCall = (c: MediaCallSpec): MediaWorkerCall => ({ ...c, supervisorToken: tokens?.get(c.supervisorId) ?? '' });
    await pool.all((w) => ({ type: 'init', target: info, calls: share(w).map(workerCall) }));
    sampler.start();
    await sleep(500);
    const before = sampleProcess(target.pid)!;
    const setUp = sumPhases(await pool.all<Phase>(() => ({ type: 'setUp' }), 300_000));
    if (setUp.failed) log(`media ${kind}: ${setUp.failed} calls not set up: ${setUp.errors.join('; ')}`);
    const listening = sumPhases(await pool.all<Phase>(() => ({ type: 'listen' }), 600_000));
    log(
      `media ${kind}: ${setUp.ok} calls, ${listening.ok} supervisors listening${listening.failed ? `, ${listening.failed} failed: ${listening.errors.join('; ')}` : ''}`,
    );

    const startUs = monotonicUs() + 300_000;
    const measureFromUs = startUs + plan.warmupSeconds * 1e6;
    const endUs = measureFromUs + plan.measureSeconds * 1e6;
    const others = readAtWindowEdges(measureFromUs, endUs);
    // The recorder's folder and the memory, read at the window's edges.
    const edges: { bytes: number; atUs: number }[] = [];
    let rssAtWindowKb = 0;
    const readEdge = () => {
      if (recordingsDir) edges.push({ bytes: folderBytes(recordingsDir), atUs: monotonicUs() });
    };
    const edgeTimers = [
      setTimeout(
        () => {
          readEdge();
          rssAtWindowKb = sampleProcess(target.pid)?.rssKb ?? 0;
        },
        (measureFromUs - monotonicUs()) / 1000,
      ),
      setTimeout(readEdge, (endUs - monotonicUs()) / 1000),
    ];
    log(`media ${kind}: frames for ${plan.warmupSeconds + plan.measureSeconds} s (${plan.warmupSeconds} s warm-up)`);
    await pool.all(
      (w) => ({ type: 'run', window: { startUs, measureFromUs, endUs, fullCheck: plan.fullCheck, announce: w === 0 } }),
      (plan.warmupSeconds + plan.measureSeconds) * 1000 + 120_000,
    );
    for (const t of edgeTimers) clearTimeout(t);
    if (edges.length < 2) readEdge();
    // What is in flight arrives now.
    await sleep(1000);
    sampler.stop();
    const busiestOthers = others.busiestBeside([target.pid, ...pool.pids()]);

    const analyses = await pool.all<MediaAnalysis>(() => ({ type: 'analyze' }));
    const stats = (await pool.request<TargetMediaStats | null>(0, { type: 'targetStats' })) ?? null;
    const latency = new LatencyHistogram();
    const jitter = new LatencyHistogram();
    const counters: Record<string, number> = {};
    const errors: string[] = [];
    const d = { expected: 0, received: 0, lost: 0, late: 0, outOfOrder: 0, corrupted: 0, silenceFilled: 0 };
    let worstStepMs = 0;
    let coachSent = 0;
    for (const a of analyses) {
      latency.merge(a.latency);
      jitter.merge(a.jitter);
      d.expected += a.expected;
      d.received += a.received;
      d.late += a.late;
      d.outOfOrder += a.outOfOrder;
      d.corrupted += a.corrupted;
      d.silenceFilled += a.silenceFilled;
      worstStepMs = Math.max(worstStepMs, a.worstStepMs);
      coachSent += a.coachSent;
      errors.push(...a.errors);
      for (const [k, v] of Object.entries(a.counters)) counters[k] = (counters[k] ?? 0) + v;
    }
    d.lost = d.expected - d.received;
    const coach = stats ? LatencyHistogram.from(stats.coachBack).summary() : new LatencyHistogram().summary();
    const windowBytes = edges.length >= 2 ? edges[edges.length - 1]!.bytes - edges[0]!.bytes : NaN;
    const windowSeconds = edges.length >= 2 ? (edges[edges.length - 1]!.atUs - edges[0]!.atUs) / 1e6 : NaN;
    const result: MediaTargetResult = {
      kind,
      calls: { set: setUp.ok, listening: listening.ok, failed: setUp.failed + listening.failed, errors: [...setUp.errors, ...listening.errors] },
      latency: latency.summary(),
      jitter: jitter.summary(),
      delivery: d,
      worstStepMs,
      coachBack: { ...coach, sent: coachSent, received: stats?.coachBackFrames ?? 0, broken: stats?.coachBackBroken ?? 0 },
      cpu: { ...sampler.windowCpu(target.pid, pool.pids(), measureFromUs, endUs), busiestOthers },
      memory: { peakRssMb: sampler.peakRssKb(target.pid, 0, Infinity) / 1024, perMonitoredCallKb: (rssAtWindowKb - before.rssKb) / Math.max(1, listening.ok) },
      recorderBytesPerSecond: recordingsDir ? windowBytes / windowSeconds : null,
      loopDelay: { p99Ms: stats?.loopDelayP99Ms ?? NaN, maxMs: stats?.loopDelayMaxMs ?? NaN },
      counters,
      errors: errors.slice(0, 8),
      target: stats?.media ?? {},
      targetInWindow: stats?.mediaInWindow ?? {},
      profile: null,
    };
    await pool.close();
    await target.stop();
    if (plan.profile) {
      const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
      if (file) result.profile = summarizeProfile(join(profileDir, file), measureFromUs, endUs);
      else log(`media ${kind}: no CPU profile was written in ${profileDir}`);
    }
    log(`media ${kind}: done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return result;
  } finally {
    sampler.stop();
    await pool.close();
    await target.stop();
    if (dataDir) removePreparedStore(dataDir);
    if (recordingsDir) rmSync(recordingsDir, { recursive: true, force: true });
  }
}

export async function runMediaBench(plan: MediaPlan, log: (line: string) => void = console.log): Promise<MediaReport> {
  const floor = mediaFloor(plan);
  log(describeMediaPlan(plan));
  const results: Record<TargetKind, MediaTargetResult[]> = { relay: [], earshot: [] };
  for (let round = 0; round < plan.rounds; round++) {
    const order: TargetKind[] = round % 2 === 0 ? ['relay', 'earshot'] : ['earshot', 'relay'];
    for (const kind of order) {
      if (!plan.targets.includes(kind)) continue;
      if (plan.rounds > 1) log(`round ${round + 1} of ${plan.rounds}`);
      results[kind].push(await runMediaTarget(kind, plan, floor, log));
    }
  }
  const report = writeMediaReport(buildMediaReport(plan, results.earshot, results.relay));
  log(`\n${formatMediaReport(report)}\n`);
  log(`written: ${report.files!.markdown}\n         ${report.files!.json}`);
  return report;
}
