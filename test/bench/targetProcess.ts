import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { monotonicUs } from './latencyHistogram.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Linux clock ticks a second (getconf CLK_TCK): the unit of utime and stime in /proc/<pid>/stat. */
const CLOCK_TICKS = 100;

export interface ProcessSample {
  atUs: number;
  /** user + system CPU time so far, in seconds */
  cpuSeconds: number;
  rssKb: number;
  /**
   * How long the process's main thread (its event loop) has so far been ready to run while no core was free
   * for it, in seconds (NaN where the kernel does not keep it): what the machine, not the process, added to
   * the latency of whatever that thread was about to do.
   */
  mainThreadWaitSeconds: number;
}

/**
 * A thread's `schedstat` (/proc/<pid>/task/<tid>/schedstat): the time it has run on a core and the time it has
 * waited on a run queue, in nanoseconds, then the count of times it ran; in seconds here.
 */
export function parseSchedstat(text: string): { runSeconds: number; waitSeconds: number } {
  const [run, wait] = text.trim().split(/\s+/).map(Number);
  if (!Number.isFinite(run) || !Number.isFinite(wait)) throw new Error(`not a schedstat line: ${text.slice(0, 60)}`);
  return { runSeconds: run! / 1e9, waitSeconds: wait! / 1e9 };
}

function mainThreadWaitSeconds(pid: number): number {
  try {
    return parseSchedstat(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8')).waitSeconds;
  } catch {
    return NaN;
  }
}

/** A process's name (`comm`) and its user + system CPU time so far in seconds (all its threads), from /proc/<pid>/stat. */
export function readProcessStat(pid: number): { name: string; cpuSeconds: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The name is between the first '(' and the last ')' (it may hold spaces and parentheses); the fields after
  // it start at the state, field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), cpuSeconds: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS };
}

/** CPU time and resident memory of a process, read from /proc (no agent in the measured process). */
export function sampleProcess(pid: number): ProcessSample | null {
  try {
    const { cpuSeconds } = readProcessStat(pid);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
    return { atUs: monotonicUs(), cpuSeconds, rssKb, mainThreadWaitSeconds: mainThreadWaitSeconds(pid) };
  } catch {
    return null;
  }
}

/**
 * The whole machine's CPU time so far (all cores, seconds), from one read of /proc/stat: busy (what ran on it)
 * and stolen (the time its virtual cores were ready to run and the host ran something else instead).
 */
export function sampleMachine(): { busy: ProcessSample; stolen: ProcessSample } | null {
  try {
    const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
    const [user, nice, system, , , irq, softirq, steal] = ticks.map(Number) as number[];
    const atUs = monotonicUs();
    return {
      busy: { atUs, cpuSeconds: (user! + nice! + system! + irq! + softirq!) / CLOCK_TICKS, rssKb: 0, mainThreadWaitSeconds: NaN },
      stolen: { atUs, cpuSeconds: steal! / CLOCK_TICKS, rssKb: 0, mainThreadWaitSeconds: NaN },
    };
  } catch {
    return null;
  }
}

/** A measured window's CPU, in percent of one core (`ProcessSampler.windowCpu`). */
export interface WindowCpu {
  serverPercent: number;
  loadGeneratorPercent: number;
  /** Everything else on the machine (it is shared), over the same window. */
  otherPercent: number;
  stolenPercent: number;
  /** Percent of the window the server's main thread was ready to run and waited for a core (null: not kept by this kernel). */
  serverWaitPercent: number | null;
}

/** The sampler's pid for the whole machine's busy time (`cpuPercent(MACHINE, …)`). */
export const MACHINE = 0;
/** The sampler's pid for the CPU time the host took from the machine. */
export const STOLEN = -1;

/** Samples processes every `everyMs` until stopped: CPU over any window, peak RSS. */
export class ProcessSampler {
  readonly samples = new Map<number, ProcessSample[]>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly pids: () => number[],
    private readonly everyMs = 250,
  ) {}

  start(): void {
    this.tick();
    this.timer = setInterval(() => this.tick(), this.everyMs);
  }

  stop(): void {
    this.tick();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private tick(): void {
    const machine = sampleMachine();
    if (machine) {
      this.keep(MACHINE, machine.busy);
      this.keep(STOLEN, machine.stolen);
    }
    for (const pid of this.pids()) {
      const s = sampleProcess(pid);
      if (s) this.keep(pid, s);
    }
  }

  private keep(pid: number, s: ProcessSample): void {
    let list = this.samples.get(pid);
    if (!list) this.samples.set(pid, (list = []));
    list.push(s);
  }

  /** Percent of one core used by `pid` between two monotonic times (the closest samples inside). */
  cpuPercent(pid: number, fromUs: number, toUs: number): number {
    return this.percentOfWindow(pid, fromUs, toUs, (s) => s.cpuSeconds);
  }

  /** Percent of the window that `pid`'s main thread spent ready to run with no core free for it (null: not kept by this kernel). */
  mainThreadWaitPercent(pid: number, fromUs: number, toUs: number): number | null {
    const percent = this.percentOfWindow(pid, fromUs, toUs, (s) => s.mainThreadWaitSeconds);
    return Number.isFinite(percent) ? percent : null;
  }

  private percentOfWindow(pid: number, fromUs: number, toUs: number, seconds: (s: ProcessSample) => number): number {
    const list = (this.samples.get(pid) ?? []).filter((s) => s.atUs >= fromUs && s.atUs <= toUs);
    if (list.length < 2) return NaN;
    const a = list[0]!;
    const b = list[list.length - 1]!;
    return ((seconds(b) - seconds(a)) / ((b.atUs - a.atUs) / 1e6)) * 100;
  }

  /**
   * A measured window's CPU, in percent of one core: the target's, its load generator's (all its processes),
   * everything else on the machine, and what the host took from it.
   */
  windowCpu(targetPid: number, loadPids: readonly number[], fromUs: number, toUs: number): WindowCpu {
    const serverPercent = this.cpuPercent(targetPid, fromUs, toUs);
    const loadGeneratorPercent = loadPids.reduce((a, pid) => a + (this.cpuPercent(pid, fromUs, toUs) || 0), 0);
    return {
      serverPercent,
      loadGeneratorPercent,
      // /proc/stat and the per-process samples are read a moment apart: about ±10 points, never below 0.
      otherPercent: Math.max(0, this.cpuPercent(MACHINE, fromUs, toUs) - serverPercent - loadGeneratorPercent),
      // A shared virtual machine: a round whose tail stands out beside a high figure here was the host's.
      stolenPercent: this.cpuPercent(STOLEN, fromUs, toUs),
      // Two cores shared by the server, its load and the rest: a round whose server waited long for a core
      // has a tail that is partly the machine's.
      serverWaitPercent: this.mainThreadWaitPercent(targetPid, fromUs, toUs),
    };
  }

  peakRssKb(pid: number, fromUs: number, toUs: number): number {
    return Math.max(...(this.samples.get(pid) ?? []).filter((s) => s.atUs >= fromUs && s.atUs <= toUs).map((s) => s.rssKb));
  }
}

export interface TargetProcess {
  child: ChildProcess;
  pid: number;
  port: number;
  /** What the process printed (bounded), for the report when something fails. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts a server process and waits for the line that names its port (bounded: `startTimeoutMs`).
 * `stop` sends SIGTERM (the Earshot server closes and exits, writing its CPU profile when asked) and
 * SIGKILLs after 15 s.
 */
export function startTargetProcess(
  args: string[],
  env: NodeJS.ProcessEnv,
  portLine: RegExp,
  logFile: string | null = null,
  startTimeoutMs = 60_000,
): Promise<TargetProcess> {
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (chunk: Buffer) => {
    out = (out + chunk.toString()).slice(-20_000);
    if (logFile) appendFileSync(logFile, chunk);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no port within ${startTimeoutMs} ms from ${args.join(' ')}:\n${out}`));
    }, startTimeoutMs);
    const onData = () => {
      const m = portLine.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      resolve({
        child,
        pid: child.pid!,
        port: Number(m[1]),
        output: () => out,
        async stop() {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
          child.kill('SIGTERM');
          await exited;
          clearTimeout(kill);
        },
      });
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(' ')} exited (${code}) before listening:\n${out}`));
    });
  });
}
