/**
 * The cluster bench's report: three nodes against one node alone on the same floor and load, each figure
 * the median round and the worst round, with their ratio; printed, and written as markdown and JSON.
 * Aggregate throughput is not a line: several nodes on one machine's few cores say nothing about it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { formatTable, markdownTable, reportRow, type ColumnNames, type ReportRow } from './benchReport.js';
import type { ClusterPlan } from './clusterPlan.js';
import type { ClusterTargetResult, NodeResult, Side } from './runClusterBench.js';
import { REPO_ROOT } from './targetProcess.js';

export interface ClusterReport {
  at: string;
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string };
  plan: ClusterPlan;
  rows: ReportRow[];
  /** Per three-node round: Redis's commands per phone event, by command. */
  redisCommands: string[];
  three: ClusterTargetResult[];
  one: ClusterTargetResult[];
  files: { markdown: string; json: string } | null;
}

const COLUMNS: ColumnNames = { ours: 'three nodes', base: 'one node' };
const SIDE_NAME: Record<Side, string> = { owner: 'supervisor on the owner node', other: 'supervisor on another node' };

export function buildClusterRows(three: readonly ClusterTargetResult[], one: readonly ClusterTargetResult[]): ReportRow[] {
  const rows: ReportRow[] = [];
  const add = (metric: string, pick: (r: ClusterTargetResult) => number, summed = false) => rows.push(reportRow(metric, three, one, pick, { summed }));
  const node = (r: ClusterTargetResult, name: string): NodeResult | undefined => r.nodes.find((n) => n.name === name);
  for (const side of ['owner', 'other'] as const) {
    for (const q of ['p50', 'p99', 'max'] as const) {
      add(`state → board delta ${q} (ms), ${SIDE_NAME[side]}`, (r) => r.sides[side].stateToSupervisor[`${q}Ms`]);
    }
  }
  for (const side of ['owner', 'other'] as const)
    add(`supervise:start → agent notice p50 (ms), ${SIDE_NAME[side]}`, (r) => r.sides[side].supervisionToNotice.p50Ms);
  for (const name of ['A', 'B', 'C']) {
    const role = name === 'A' ? 'the owner: deltas delivered + feed entries published' : 'deltas delivered';
    add(`node ${name} CPU per delta (ms; ${role})`, (r) => node(r, name)?.cpuMsPerDelta ?? NaN);
  }
  for (const name of ['A', 'B', 'C']) add(`node ${name} CPU (% of one core)`, (r) => node(r, name)?.cpuPercent ?? NaN);
  add('Redis commands per phone event', (r) => r.redis?.perPhoneEvent ?? NaN);
  add('phone events (entries A published to its feed)', (r) => r.redis?.phoneEvents ?? NaN, true);
  add('status changes measured', (r) => r.statusChangesSent, true);
  for (const side of ['owner', 'other'] as const) {
    add(`deltas expected, ${SIDE_NAME[side]}`, (r) => r.sides[side].expectedReceipts, true);
    add(`deltas lost, ${SIDE_NAME[side]}`, (r) => r.sides[side].lost, true);
  }
  add('deltas out of order or repeated', (r) => r.sides.owner.outOfOrder + r.sides.other.outOfOrder, true);
  add('board seq gaps', (r) => r.sides.owner.seqGaps + r.sides.other.seqGaps, true);
  add('board snapshots pushed', (r) => r.counters['board snapshots pushed'] ?? 0, true);
  for (const side of ['owner', 'other'] as const) add(`supervisions measured, ${SIDE_NAME[side]}`, (r) => r.sides[side].supervisionsStarted, true);
  add('agent notices lost', (r) => r.sides.owner.noticesLost + r.sides.other.noticesLost, true);
  return rows;
}

function redisLines(three: readonly ClusterTargetResult[]): string[] {
  return three.map((r, i) => {
    if (!r.redis) return `round ${i + 1}: no Redis counts`;
    const per = Object.entries(r.redis.byCommand)
      .sort((a, b) => b[1] - a[1])
      .map(([name, n]) => `${name} ${(n / r.redis!.phoneEvents).toFixed(2)}`);
    return `round ${i + 1}: ${r.redis.commands} commands for ${r.redis.phoneEvents} phone events (${r.redis.perPhoneEvent.toFixed(2)} each): ${per.join(', ')}`;
  });
}

export function buildClusterReport(plan: ClusterPlan, three: readonly ClusterTargetResult[], one: readonly ClusterTargetResult[]): ClusterReport {
  return {
    at: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? '', memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version },
    plan,
    rows: buildClusterRows(three, one),
    redisCommands: redisLines(three),
    three: [...three],
    one: [...one],
    files: null,
  };
}

function describe(report: ClusterReport): string {
  const p = report.plan;
  return (
    `${p.preset}: ${p.agents} agents homed on node A, ${p.supervisors} supervisors (half on A, half on B and C; with one node, all on it), ` +
    `${p.changesPerSecond} status changes/s, ${p.supervisionsPerSecond} supervision starts/s, ${p.warmupSeconds} s warm-up + ${p.measureSeconds} s measured, ` +
    `${p.rounds} round(s) per target. Each value is the median round (counts: the sum over the rounds); "worst" is the worst round, ` +
    `"ratio worst" the worst ratio of a round's pair. Redis commands per phone event: INFO commandstats over the measured window ` +
    `(a script's own commands counted beside it), over the entries A numbered into its feed.`
  );
}

/** The printed table, the Redis commands by name after it. */
export function formatClusterReport(report: ClusterReport): string {
  return [formatTable(report.rows, COLUMNS), '', 'Redis commands per phone event, by command:', ...report.redisCommands.map((l) => `  ${l}`)].join('\n');
}

function toMarkdown(report: ClusterReport): string {
  const m = report.machine;
  return [
    `# Earshot cluster bench (${report.plan.preset})`,
    '',
    `${report.at}, ${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GB, node ${m.node}. Nodes, Redis, PostgreSQL and load generator on the same machine.`,
    '',
    describe(report),
    '',
    markdownTable(report.rows, COLUMNS),
    '',
    '## Redis commands per phone event, by command',
    '',
    ...report.redisCommands.map((l) => `- ${l}`),
    '',
  ].join('\n');
}

/** Writes `<outDir>/cluster-<preset>-<time>.md` and `.json`, and `latest-cluster-<preset>.*` beside them. */
export function writeClusterReport(report: ClusterReport): ClusterReport {
  const dir = resolve(REPO_ROOT, report.plan.outDir);
  mkdirSync(dir, { recursive: true });
  const base = join(dir, `cluster-${report.plan.preset}-${report.at.replace(/[:.]/g, '-')}`);
  const withFiles = { ...report, files: { markdown: `${base}.md`, json: `${base}.json` } };
  const md = toMarkdown(withFiles);
  const json = JSON.stringify(withFiles, null, 2);
  for (const [file, text] of [
    [`${base}.md`, md],
    [`${base}.json`, json],
    [join(dir, `latest-cluster-${report.plan.preset}.md`), md],
    [join(dir, `latest-cluster-${report.plan.preset}.json`), json],
  ] as const)
    writeFileSync(file, text);
  return withFiles;
}
