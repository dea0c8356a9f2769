/**
 * The media bench's report: Earshot against the bare relay, the median and the worst round, the ratio and
 * the goal for each line; printed, and written as markdown and JSON under bench-results/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { formatTable, markdownProfile, NONE_ALLOWED, markdownTable, reportRow, type ReportRow } from './benchReport.js';
import { describeMediaPlan, type MediaPlan } from './mediaPlan.js';
import { flatCounters, type CounterTree } from './mediaFeed.js';
import type { MediaTargetResult } from './runMediaBench.js';
import { describeRoundCpu } from './otherProcesses.js';
import { REPO_ROOT } from './targetProcess.js';

export interface MediaReport {
  at: string;
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string };
  plan: MediaPlan;
  rows: ReportRow[];
  roundsSummary: string[];
  earshot: MediaTargetResult[];
  relay: MediaTargetResult[];
  files: { markdown: string; json: string } | null;
}

/** Bytes a second of one call's stereo 16-bit 8 kHz recording. */
const RECORDING_BYTES_PER_CALL_SECOND = 8000 * 2 * 2;

export function buildMediaRows(plan: MediaPlan, earshot: readonly MediaTargetResult[], relay: readonly MediaTargetResult[]): ReportRow[] {
  const rows: ReportRow[] = [];
  type Check = (ours: number, base: number | null) => boolean;
  const add = (metric: string, pick: (r: MediaTargetResult) => number, goal = '', check?: Check, summed = false) =>
    rows.push(reportRow(metric, earshot, relay, pick, { goal, check, summed }));
  const count = (metric: string, pick: (r: MediaTargetResult) => number, goal = '', check?: Check) => add(metric, pick, goal, check, true);
  add('frame in → supervisor p50 (ms)', (r) => r.latency.p50Ms);
  add('frame in → supervisor p90 (ms)', (r) => r.latency.p90Ms);
  add(
    'frame in → supervisor p99 (ms)',
    (r) => r.latency.p99Ms,
    '≤ 1.5 × relay and ≤ 20 ms',
    (e, r) => r !== null && e <= 1.5 * r && e <= 20,
  );
  add('frame in → supervisor max (ms)', (r) => r.latency.maxMs);
  add('jitter: mean |Δ transit| (ms)', (r) => r.jitter.meanMs);
  add('jitter: p99 |Δ transit| (ms)', (r) => r.jitter.p99Ms);
  add(
    'media clock: longest step between frames of a stream (ms)',
    (r) => r.worstStepMs,
    '≤ 40 (no step lost)',
    (e) => e <= 40,
  );
  add('coach voice → platform p50 (ms)', (r) => r.coachBack.p50Ms);
  add('coach voice → platform p99 (ms)', (r) => r.coachBack.p99Ms);
  add('server event loop delay p99 (ms)', (r) => r.loopDelay.p99Ms);
  add(
    'server event loop delay max (ms)',
    (r) => r.loopDelay.maxMs,
    '< 20 (the recorder never blocks the clock)',
    (e) => e < 20,
  );
  add(
    'server CPU (% of one core)',
    (r) => r.cpu.serverPercent,
    '≤ 1.5 × relay',
    (e, r) => r !== null && e <= 1.5 * r,
  );
  add('server main thread waiting for a free core (% of the window)', (r) => r.cpu.serverWaitPercent ?? NaN);
  add('load generator CPU (% of one core)', (r) => r.cpu.loadGeneratorPercent);
  add('other processes on the machine CPU (% of one core)', (r) => r.cpu.otherPercent);
  add('CPU the host took from the machine (steal, % of one core)', (r) => r.cpu.stolenPercent);
  add('server RSS peak (MB)', (r) => r.memory.peakRssMb);
  add('server memory per monitored call (KB)', (r) => r.memory.perMonitoredCallKb);
  add('recorder writes (MB/s)', (r) => (r.recorderBytesPerSecond ?? NaN) / 1e6);
  add(
    "recorder writes (% of the calls' audio)",
    (r) => ((r.recorderBytesPerSecond ?? NaN) / (r.calls.listening * RECORDING_BYTES_PER_CALL_SECOND)) * 100,
    '≈ 100',
    (e) => e >= 95,
  );
  count('calls monitored', (r) => r.calls.listening);
  count('frames expected at the supervisors', (r) => r.delivery.expected);
  count('frames lost', (r) => r.delivery.lost, ...NONE_ALLOWED);
  count('frames late (> 60 ms)', (r) => r.delivery.late, ...NONE_ALLOWED);
  count('frames silence-filled (platform track late)', (r) => r.delivery.silenceFilled);
  // The server's own counts over the window: silence sent in place of a platform track more than 60 ms late, and
  // platform frames dropped more than 100 ms ahead of the clock (the burst after the sender or this process was held back).
  count('platform frames silenced by the media clock (server, window)', (r) => counterNamed(r.targetInWindow, 'platformFrames.fillers'));
  count('platform frames dropped ahead of the media clock (server, window)', (r) => counterNamed(r.targetInWindow, 'platformFrames.dropped'));
  count('frames out of order or repeated', (r) => r.delivery.outOfOrder, ...NONE_ALLOWED);
  count('frames corrupted', (r) => r.delivery.corrupted, ...NONE_ALLOWED);
  count('coach frames sent', (r) => r.coachBack.sent);
  count('coach frames at the platform', (r) => r.coachBack.received);
  void plan;
  return rows;
}

export function mediaRoundsSummary(earshot: readonly MediaTargetResult[], relay: readonly MediaTargetResult[]): string[] {
  const ms = (v: number) => String(Math.round(v * 100) / 100);
  return [...relay, ...earshot].map((r) => {
    const nth = (r.kind === 'relay' ? relay : earshot).indexOf(r) + 1;
    return (
      `${r.kind} round ${nth}: frame in → supervisor p50 ${ms(r.latency.p50Ms)} / p99 ${ms(r.latency.p99Ms)} / max ${ms(r.latency.maxMs)} ms; ` +
      `lost ${r.delivery.lost}, late ${r.delivery.late}; ${describeRoundCpu(r.cpu)}`
    );
  });
}

export function buildMediaReport(plan: MediaPlan, earshot: readonly MediaTargetResult[], relay: readonly MediaTargetResult[]): MediaReport {
  return {
    at: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? '', memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version },
    plan,
    rows: buildMediaRows(plan, earshot, relay),
    roundsSummary: mediaRoundsSummary(earshot, relay),
    earshot: [...earshot],
    relay: [...relay],
    files: null,
  };
}

export function formatMediaReport(report: MediaReport): string {
  return [formatTable(report.rows), '', ...report.roundsSummary].join('\n');
}

export function mediaMarkdown(report: MediaReport): string {
  const named = [...report.relay, ...report.earshot].map((r) => {
    const list = r.kind === 'relay' ? report.relay : report.earshot;
    return { r, name: list.length > 1 ? `${r.kind} round ${list.indexOf(r) + 1}` : r.kind };
  });
  return [
    `# Earshot media bench (${report.plan.preset})`,
    '',
    `${report.at}, ${report.machine.cpus} × ${report.machine.cpuModel}, ${report.machine.memoryGb} GB, node ${report.machine.node}. Load generator on the same machine.`,
    '',
    describeMediaPlan(report.plan),
    '',
    'Values: the median round (counts: the sum over the rounds); "worst": the worst round, and the worst ratio of a relay and Earshot pair run side by side. Goals are judged on the worst round.',
    '',
    markdownTable(report.rows),
    '',
    '## Rounds',
    '',
    ...report.roundsSummary.map((l) => `- ${l}`),
    '',
    '## Events and counters',
    '',
    ...named.flatMap(({ r, name }) => [
      ...Object.entries(r.counters).map(([k, v]) => `- ${name}: ${k}: ${v}`),
      ...flatCounters(r.target).map(([k, v]) => `- ${name} (target): ${k}: ${v}`),
      ...r.errors.map((e) => `- ${name}: ${e}`),
    ]),
    '',
    ...named.filter(({ r }) => r.profile).map(({ r, name }) => markdownProfile(`media ${name}`, 'Window', r.profile!)),
  ].join('\n');
}

export function writeMediaReport(report: MediaReport): MediaReport {
  const dir = resolve(REPO_ROOT, report.plan.outDir);
  mkdirSync(dir, { recursive: true });
  const base = join(dir, `media-${report.plan.preset}-${report.at.replace(/[:.]/g, '-')}`);
  const files = { markdown: `${base}.md`, json: `${base}.json` };
  const withFiles = { ...report, files };
  const md = mediaMarkdown(withFiles);
  const json = JSON.stringify(withFiles, null, 2);
  writeFileSync(files.markdown, md);
  writeFileSync(files.json, json);
  writeFileSync(join(dir, `latest-media-${report.plan.preset}.md`), md);
  writeFileSync(join(dir, `latest-media-${report.plan.preset}.json`), json);
  return withFiles;
}

/** A counter by its dotted name (`flatCounters`); NaN where the target keeps none (the relay). */
function counterNamed(tree: CounterTree, name: string): number {
  return flatCounters(tree).find(([k]) => k === name)?.[1] ?? NaN;
}
