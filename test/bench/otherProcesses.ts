/**
 * Who else ran on the machine while a target was measured. The machine is shared: beside the target and
 * its load generator, the kernel's own threads and other services take CPU, and a round whose tail stands
 * out beside one of them busy may have been theirs (seen: a kernel thread that scans memory for pages to
 * reclaim took 5 to 12 % of a core under the full load, and the tails of both targets shrank with it
 * stopped). Every process's CPU time is read from /proc at the window's two edges; the busiest others are named.
 */
import { readdirSync } from 'node:fs';
import { monotonicUs } from './latencyHistogram.js';
import { readProcessStat, type WindowCpu } from './targetProcess.js';

export interface ProcessTimes {
  atUs: number;
  /** pid → its name (`comm`) and its user + system CPU time so far, in seconds (all its threads). */
  byPid: Map<number, { name: string; cpuSeconds: number }>;
}

export interface OtherProcess {
  pid: number;
  name: string;
  /** Percent of one core over the window. */
  percent: number;
}

/** Every process's CPU time now; a process that ends while it is read is left out. */
export function readAllProcessTimes(): ProcessTimes {
  const byPid = new Map<number, { name: string; cpuSeconds: number }>();
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    // Not Linux: nobody to name.
  }
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    try {
      byPid.set(pid, readProcessStat(pid));
    } catch {
      // Gone meanwhile.
    }
  }
  return { atUs: monotonicUs(), byPid };
}

/**
 * The processes other than `exclude` that used the most CPU between two readings, busiest first, at least
 * `minPercent` of one core each. A process that started within the window counts all its time; one that
 * ended within it is not seen. `names` renames pids (the bench's own runner).
 */
export function busiestOthers(
  from: ProcessTimes,
  to: ProcessTimes,
  exclude: ReadonlySet<number>,
  options: { top?: number; minPercent?: number; names?: ReadonlyMap<number, string> } = {},
): OtherProcess[] {
  const { top = 3, minPercent = 1, names } = options;
  const seconds = (to.atUs - from.atUs) / 1e6;
  if (!(seconds > 0)) return [];
  const others: OtherProcess[] = [];
  for (const [pid, now] of to.byPid) {
    if (exclude.has(pid)) continue;
    const before = from.byPid.get(pid);
    // A pid reused by a new process within the window: its time is its own, all of it.
    const since = before && before.name === now.name && before.cpuSeconds <= now.cpuSeconds ? before.cpuSeconds : 0;
    const percent = ((now.cpuSeconds - since) / seconds) * 100;
    if (percent >= minPercent) others.push({ pid, name: names?.get(pid) ?? now.name, percent: Math.round(percent * 10) / 10 });
  }
  return others.sort((a, b) => b.percent - a.percent || a.pid - b.pid).slice(0, top);
}

/** `kdamond.0 9.8 %, node 3.1 %`, or `none over 1 %`. */
export function describeOthers(others: readonly OtherProcess[]): string {
  return others.length === 0 ? 'none over 1 %' : others.map((o) => `${o.name} ${o.percent} %`).join(', ');
}

/**
 * The end of a round's summary line in both benches: `server CPU 49.7 %; waiting for a core 15.5 %; steal 0 %;
 * busiest other processes: kdamond.0 5.9 %`.
 */
export function describeRoundCpu(cpu: WindowCpu & { busiestOthers: readonly OtherProcess[] }): string {
  const pct = (v: number) => `${Math.round(v * 100) / 100} %`;
  const waited = cpu.serverWaitPercent === null ? '–' : pct(cpu.serverWaitPercent);
  return `server CPU ${pct(cpu.serverPercent)}; waiting for a core ${waited}; steal ${pct(cpu.stolenPercent)}; busiest other processes: ${describeOthers(cpu.busiestOthers)}`;
}

/**
 * Reads every process's time at `fromUs` and at `toUs` (monotonic µs). `busiestBeside` (after the window)
 * names the busiest processes but the measured ones; this bench's own runner by that name.
 */
export function readAtWindowEdges(fromUs: number, toUs: number): { busiestBeside(measured: readonly number[]): OtherProcess[] } {
  let from: ProcessTimes | null = null;
  let to: ProcessTimes | null = null;
  const timers = [
    setTimeout(() => (from = readAllProcessTimes()), Math.max(0, (fromUs - monotonicUs()) / 1000)),
    setTimeout(() => (to = readAllProcessTimes()), Math.max(0, (toUs - monotonicUs()) / 1000)),
  ];
  return {
    busiestBeside: (measured) => {
      for (const t of timers) clearTimeout(t);
      if (!from || !to) return [];
      return busiestOthers(from, to, new Set(measured), { names: new Map([[process.pid, 'bench runner']]) });
    },
  };
}
