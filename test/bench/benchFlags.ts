/** What a bench measures: the server, or the bare socket.io relay beside it. */
export type TargetKind = 'earshot' | 'relay';

/** What both benches let a flag set: the timing, the rounds, where the report goes, profiling, one target. */
export interface CommonBenchOptions {
  warmupSeconds: number;
  measureSeconds: number;
  rounds: number;
  outDir: string;
  profile: boolean;
  targets: TargetKind[];
}

/** Reads a flag's number of at least `min`; anything else is refused with the bench's help. */
export function numberFlag(help: string): (flag: string, v: string | undefined, min?: number) => number {
  return (flag, v, min = 0) => {
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n) || n < min) throw new Error(`${flag} needs a number of at least ${min}\n${help}`);
    return n;
  };
}

/** Takes `flag` (and its value from `args`) into `o` when both benches know it; false for a flag of one bench only. */
export function takeCommonFlag(flag: string, args: string[], o: Partial<CommonBenchOptions>, num: ReturnType<typeof numberFlag>): boolean {
  switch (flag) {
    case '--warmup':
      o.warmupSeconds = num(flag, args.shift(), 0);
      return true;
    case '--seconds':
      o.measureSeconds = num(flag, args.shift(), 1);
      return true;
    case '--rounds':
      o.rounds = Math.floor(num(flag, args.shift(), 1));
      return true;
    case '--out':
      o.outDir = args.shift() ?? 'bench-results';
      return true;
    case '--profile':
      o.profile = true;
      return true;
    case '--only': {
      const v = args.shift();
      if (v !== 'earshot' && v !== 'relay') throw new Error('--only earshot|relay');
      o.targets = [v];
      return true;
    }
    default:
      return false;
  }
}
