/**
 * The bench's report: a table of Earshot against the bare relay with the ratio and the issue's goal for
 * each line, printed and written as markdown and JSON under bench-results/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import type { BenchPlan } from './benchPlan.js';
import { describeRoundCpu } from './otherProcesses.js';
import type { ProfileSummary } from './profileSummary.js';
import type { TargetResult } from './runTarget.js';
import { REPO_ROOT } from './targetProcess.js';

export interface ReportRow {
  metric: string;
  /** The median round (counts: the sum over the rounds). */
  earshot: number | null;
  relay: number | null;
  /** earshot / relay, when both exist */
  ratio: number | null;
  /** The worst round of each target (latencies, CPU, memory: the highest), and the worst ratio of a round's pair. */
  earshotWorst: number | null;
  relayWorst: number | null;
  ratioWorst: number | null;
  goal: string;
  /** Whether the goal holds in the worst round; null when it does not apply (no goal, or not measured). */
  pass: boolean | null;
}

const round = (v: number, digits = 2) => (Number.isFinite(v) ? Math.round(v * 10 ** digits) / 10 ** digits : null);

/**
 * One row over every round of both targets: the median and the worst round (a tail that shows in one
 * round in three is a tail users see). Rounds are paired by their index (relay and Earshot take turns), so
 * the worst ratio is the worst of ratios measured side by side. `summed`: a count, added over the rounds.
 * The goal is judged on the worst round, and on the worst ratio.
 */
export function reportRow<R>(
  metric: string,
  earshot: readonly R[],
  relay: readonly R[],
  pick: (r: R) => number,
  options: { goal?: string; check?: (ours: number, base: number | null) => boolean; summed?: boolean } = {},
): ReportRow {
  const values = (list: readonly R[]) => list.map(pick).filter((v) => Number.isFinite(v));
  const over = (list: readonly R[]) => {
    const v = values(list);
    return v.length === 0 ? null : round((options.summed ? sum : median)(v), 3);
  };
  const worst = (list: readonly R[]) => {
    const v = values(list);
    return v.length === 0 ? null : round(options.summed ? sum(v) : Math.max(...v), 3);
  };
  const e = over(earshot);
  const r = over(relay);
  const ratioOf = (a: number | null, b: number | null) => (a !== null && b !== null && b > 0 ? round(a / b, 2) : null);
  const pairs = earshot.map((x, i) => (i < relay.length ? ratioOf(pick(x), pick(relay[i]!)) : null)).filter((v): v is number => v !== null);
  const ratioWorst = options.summed ? ratioOf(e, r) : pairs.length ? Math.max(...pairs) : null;
  const eWorst = worst(earshot);
  const rWorst = worst(relay);
  const { goal = '', check } = options;
  // Judged on the worst round: against the relay through the worst pair's ratio (base = ours / worst ratio).
  const pass = check && eWorst !== null ? check(eWorst, ratioWorst !== null && ratioWorst > 0 ? eWorst / ratioWorst : rWorst) : null;
  return { metric, earshot: e, relay: r, ratio: ratioOf(e, r), earshotWorst: eWorst, relayWorst: rWorst, ratioWorst, goal, pass };
}

export interface BenchReport {
  at: string;
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string };
  plan: BenchPlan;
  /** Each value is the median over the rounds (counts of deliveries: the sum). */
  rows: ReportRow[];
  /** One line per round and target: the latencies that decide the goals, to show the spread. */
  roundsSummary: string[];
  /** Every round's result, in the order run. */
  earshot: TargetResult[];
  relay: TargetResult[];
  files: { markdown: string; json: string } | null;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const sum = (values: readonly number[]) => values.reduce((a, v) => a + v, 0);

export function buildRows(plan: BenchPlan, earshot: readonly TargetResult[], relay: readonly TargetResult[]): ReportRow[] {
  const stretch = plan.preset === 'stretch' || plan.changesPerSecond > 1000;
  const rows: ReportRow[] = [];
  // Latencies, CPU and memory: the median round. Counts of what was sent and lost: all rounds together.
  const counts = new Set([
    'status changes measured',
    'deltas expected',
    'deltas lost',
    'deltas out of order or repeated',
    'board seq gaps',
    'supervisions measured',
    'agent notices lost',
  ]);
  const add = (metric: string, pick: (r: TargetResult) => number, goal = '', check?: (ours: number, base: number | null) => boolean) => {
    // The goals are set against the bare relay: beside the audited one they are not judged.
    const judged = plan.relayAudited ? { goal: '' } : { goal, check };
    rows.push(reportRow(metric, earshot, relay, pick, { ...judged, summed: counts.has(metric) }));
  };
  // The goals of the full target, judged on the worst round against the relay run beside it. The absolute
  // p99 bound holds only where the relay meets it too (the machine is shared; its absolute figures move).
  const p99Goal = stretch ? 20 : 10;
  add(
    'state → supervisor p50 (ms)',
    (r) => r.stateToSupervisor.p50Ms,
    '≤ 1.25 × relay',
    (e, r) => r !== null && e <= 1.25 * r,
  );
  add('state → supervisor p90 (ms)', (r) => r.stateToSupervisor.p90Ms);
  add(
    'state → supervisor p99 (ms)',
    (r) => r.stateToSupervisor.p99Ms,
    `≤ 1.5 × relay; ≤ ${p99Goal} ms if the relay is`,
    (e, r) => r !== null && e <= 1.5 * r && (r > p99Goal || e <= p99Goal),
  );
  add('state → supervisor max (ms)', (r) => r.stateToSupervisor.maxMs);
  add('… of which agent → server applied p99 (ms, ±1)', (r) => r.stateSplit.agentToServer.p99Ms);
  add('… of which server applied → supervisor p99 (ms, ±1)', (r) => r.stateSplit.serverToSupervisor.p99Ms);
  add(
    'supervision start → agent notice p50 (ms)',
    (r) => r.supervisionToNotice.p50Ms,
    '≤ 1.5 × relay',
    (e, r) => r !== null && e <= 1.5 * r,
  );
  add(
    'supervision start → agent notice p99 (ms)',
    (r) => r.supervisionToNotice.p99Ms,
    '≤ 10 ms',
    (e) => e <= 10,
  );
  add('supervision start → agent notice max (ms)', (r) => r.supervisionToNotice.maxMs);
  add('ack agent:status p50 (ms)', (r) => r.ack.agentStatus.p50Ms);
  add('ack agent:status p99 (ms)', (r) => r.ack.agentStatus.p99Ms);
  add('ack supervise:start p50 (ms)', (r) => r.ack.superviseStart.p50Ms);
  add('ack supervise:start p99 (ms)', (r) => r.ack.superviseStart.p99Ms);
  add('ack supervise:stop p99 (ms)', (r) => r.ack.superviseStop.p99Ms);
  add(
    'server CPU (% of one core)',
    (r) => r.cpu.serverPercent,
    '≤ 1.25 × relay',
    (e, r) => r !== null && e <= 1.25 * r,
  );
  add('server main thread waiting for a free core (% of the window)', (r) => r.cpu.serverWaitPercent ?? NaN);
  add('load generator CPU (% of one core)', (r) => r.cpu.loadGeneratorPercent);
  add('other processes on the machine CPU (% of one core)', (r) => r.cpu.otherPercent);
  add('CPU the host took from the machine (steal, % of one core)', (r) => r.cpu.stolenPercent);
  add('server RSS peak (MB)', (r) => r.memory.peakRssMb);
  add(
    'server memory per idle agent connection (KB)',
    (r) => r.memory.perIdleAgentKb,
    '≤ 15 KB',
    (e) => e <= 15,
  );
  add('status changes measured', (r) => r.delivery.statusChangesSent);
  add('deltas expected', (r) => r.delivery.expectedReceipts);
  add('deltas lost', (r) => r.delivery.lost, ...NONE_ALLOWED);
  add('deltas out of order or repeated', (r) => r.delivery.outOfOrder + r.delivery.seqBackwards, ...NONE_ALLOWED);
  add('board seq gaps', (r) => r.delivery.seqGaps, ...NONE_ALLOWED);
  add('supervisions measured', (r) => r.delivery.supervisionsStarted);
  add('agent notices lost', (r) => r.delivery.noticesLost, ...NONE_ALLOWED);
  return rows;
}

const cell = (v: number | null) => (v === null ? '–' : String(v));
const verdict = (p: boolean | null) => (p === null ? '' : p ? 'yes' : 'NO');

/** What the two compared columns are called: Earshot against the relay unless told. */
export interface ColumnNames {
  ours: string;
  base: string;
}
const RELAY_COLUMNS: ColumnNames = { ours: 'earshot', base: 'relay' };

/** The live-floor bench's columns: the relay, or the audited relay (`--relay-audited`). */
export function columnNamesOf(plan: Pick<BenchPlan, 'relayAudited'>): ColumnNames {
  return plan.relayAudited ? { ours: 'earshot', base: 'audited relay' } : RELAY_COLUMNS;
}

/** The header, and each row's cells; the goal columns only when some row has a goal. */
function columns(rows: readonly ReportRow[], names: ColumnNames): { header: string[]; cellsOf: (r: ReportRow) => string[] } {
  const goals = rows.some((r) => r.goal);
  const header = [
    'metric',
    names.ours,
    names.base,
    'ratio',
    `${names.ours} worst`,
    `${names.base} worst`,
    'ratio worst',
    ...(goals ? ['goal (worst round)', 'met'] : []),
  ];
  const cellsOf = (r: ReportRow) => [
    r.metric,
    cell(r.earshot),
    cell(r.relay),
    cell(r.ratio),
    cell(r.earshotWorst),
    cell(r.relayWorst),
    cell(r.ratioWorst),
    ...(goals ? [r.goal, verdict(r.pass)] : []),
  ];
  return { header, cellsOf };
}

/** The table printed at the end of a run: the median round, then the worst round and the worst ratio of a pair. */
export function formatTable(rows: readonly ReportRow[], names = RELAY_COLUMNS): string {
  const { header, cellsOf } = columns(rows, names);
  const body = rows.map(cellsOf);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cols: string[]) => cols.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** A count whose goal is none at all (lost, out of order, gaps): its goal column and its check. */
export const NONE_ALLOWED = ['0', (ours: number) => ours === 0] as const;

export function markdownTable(rows: readonly ReportRow[], names = RELAY_COLUMNS): string {
  const { header, cellsOf } = columns(rows, names);
  const align = header.map((_, i) => (i === 0 || i >= 7 ? '---' : '---:'));
  return [`| ${header.join(' | ')} |`, `|${align.join('|')}|`, ...rows.map((r) => `| ${cellsOf(r).join(' | ')} |`)].join('\n');
}

/** A CPU profile's section of a markdown report: its heading, a line on its window, and its three tables. */
export function markdownProfile(heading: string, window: string, p: ProfileSummary): string {
  const table = (title: string, list: ProfileSummary['selfTop']) =>
    [
      `**${title}**`,
      '',
      '| ms | % of busy | function | where |',
      '|---:|---:|---|---|',
      ...list.map((h) => `| ${h.ms} | ${h.percent} | ${h.name} | ${h.where} |`),
      '',
    ].join('\n');
  return [
    `### ${heading}`,
    '',
    `${window}: ${p.windowMs} ms, busy ${p.busyMs} ms (${p.busyPercent} %). File: \`${p.file}\``,
    '',
    table('Self time by area', p.byArea),
    table('Self time, top functions', p.selfTop),
    table('Inclusive time, our functions', p.inclusiveOurs),
  ].join('\n');
}

export function describePlan(plan: BenchPlan): string {
  return (
    `${plan.preset}: ${plan.agents} agents (teams of ${plan.teamSize}, ${plan.callAgentsPerTeam} per team taking calls), ` +
    `${plan.supervisors} supervisors (${plan.allScopeSupervisors} with scope all, managers of ${plan.teamsPerManager} teams), ` +
    `${plan.changesPerSecond} status changes/s, ${plan.supervisionsPerSecond} supervision starts/s (held ${plan.supervisionHoldMs} ms), ` +
    `${plan.simArrivalsPerMinute} simulated calls/min, ${plan.warmupSeconds} s warm-up + ${plan.measureSeconds} s measured, ${plan.workers} load workers${plan.rounds > 1 ? `, ${plan.rounds} rounds per target` : ''}` +
    (plan.relayAudited
      ? ". Audited relay: each supervision start and stop commits its row and audit record to SQLite (Earshot's store) before its notice, and is acknowledged once that is on disk; the goals, set against the bare relay, are not judged"
      : '')
  );
}

export function roundsSummary(earshot: readonly TargetResult[], relay: readonly TargetResult[], names = RELAY_COLUMNS): string[] {
  const ms = (v: number) => String(round(v, 2));
  return [...relay, ...earshot].map((r) => {
    const nth = (r.kind === 'relay' ? relay : earshot).indexOf(r) + 1;
    return (
      `${r.kind === 'relay' ? names.base : names.ours} round ${nth}: state → supervisor p50 ${ms(r.stateToSupervisor.p50Ms)} / p99 ${ms(r.stateToSupervisor.p99Ms)} / max ${ms(r.stateToSupervisor.maxMs)} ms; ` +
      `start → notice p99 ${ms(r.supervisionToNotice.p99Ms)} ms; ${describeRoundCpu(r.cpu)}`
    );
  });
}

export function buildReport(plan: BenchPlan, earshot: readonly TargetResult[], relay: readonly TargetResult[]): BenchReport {
  return {
    at: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? '', memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version },
    plan,
    rows: buildRows(plan, earshot, relay),
    roundsSummary: roundsSummary(earshot, relay, columnNamesOf(plan)),
    earshot: [...earshot],
    relay: [...relay],
    files: null,
  };
}

export function toMarkdown(report: BenchReport): string {
  const all = [...report.earshot, ...report.relay];
  const label = (r: TargetResult, list: readonly TargetResult[]) => (list.length > 1 ? `${r.kind} round ${list.indexOf(r) + 1}` : r.kind);
  const named = all.map((r) => ({ r, name: label(r, r.kind === 'earshot' ? report.earshot : report.relay) }));
  const counters = named
    .filter(({ r }) => Object.keys(r.counters).length)
    .flatMap(({ r, name }) => Object.entries(r.counters).map(([k, v]) => `- ${name}: ${k}: ${v}`));
  const profiled = named.filter(({ r }) => r.profile);
  return [
    `# Earshot live-floor bench (${report.plan.preset})`,
    '',
    `${report.at}, ${report.machine.cpus} × ${report.machine.cpuModel}, ${report.machine.memoryGb} GB, node ${report.machine.node}. Load generator on the same machine.`,
    '',
    describePlan(report.plan),
    '',
    ...(report.plan.rounds > 1
      ? [
          `Each value is the median of ${report.plan.rounds} rounds per target (counts: the sum over the rounds); "worst" is the worst round, and the worst ratio of a relay and Earshot pair run side by side. Goals are judged on the worst round.`,
          '',
        ]
      : []),
    markdownTable(report.rows, columnNamesOf(report.plan)),
    '',
    ...(report.plan.rounds > 1 ? ['## Rounds', '', ...report.roundsSummary.map((l) => `- ${l}`), ''] : []),
    '## Worst state → supervisor latency per measured second (ms)',
    '',
    ...named.map(({ r, name }) => `- ${name}: ${r.stateWorstPerSecondMs.join(' ')}`),
    '',
    '## Events during the run',
    '',
    counters.join('\n') || '(none)',
    '',
    ...(profiled.length ? ['## Hot paths', ''] : []),
    ...profiled.map(({ r, name }) => markdownProfile(name, `CPU profile of the ${name} process over the measured window`, r.profile!)),
  ].join('\n');
}

/** Writes `<outDir>/bench-<preset>-<time>.md` and `.json`, and `latest-<preset>.*` beside them. */
export function writeReport(report: BenchReport): BenchReport {
  const dir = resolve(REPO_ROOT, report.plan.outDir);
  mkdirSync(dir, { recursive: true });
  const stamp = report.at.replace(/[:.]/g, '-');
  const base = join(dir, `bench-${report.plan.preset}-${stamp}`);
  const files = { markdown: `${base}.md`, json: `${base}.json` };
  const withFiles = { ...report, files };
  const md = toMarkdown(withFiles);
  const json = JSON.stringify(withFiles, null, 2);
  writeFileSync(files.markdown, md);
  writeFileSync(files.json, json);
  writeFileSync(join(dir, `latest-${report.plan.preset}.md`), md);
  writeFileSync(join(dir, `latest-${report.plan.preset}.json`), json);
  return withFiles;
}
