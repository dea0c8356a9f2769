import { planFromArgs, type BenchPlan } from './benchPlan.js';

/**
 * What `npm run bench -- --cluster` does: the live-floor bench's floor and load (benchPlan.ts: its presets
 * and flags), run on one node alone and on three nodes sharing Redis and PostgreSQL.
 */
export interface ClusterPlan extends BenchPlan {
  /** The Redis the three nodes share (each run under a key prefix of its own). */
  redisUrl: string;
}

export const CLUSTER_HELP = `npm run bench -- --cluster [--preset tiny|quick|full|stretch] [--agents N] [--supervisors M] [--rate R]
  [--supervisions S] [--calls PER_MINUTE] [--warmup SEC] [--seconds SEC] [--workers W] [--rounds N] [--out DIR]
  [--redis-url redis://127.0.0.1:6379]
One node alone, then three nodes (the agents homed on the first), on the same floor and load, in one
PostgreSQL database created for the run on postgres://postgres@127.0.0.1:5432 and dropped after;
half the supervisors on the agents' node, half on the two others. --workers: load workers beside the one
holding the supervisors on other nodes. Redis commands are read from INFO commandstats, which counts every
client of that Redis: for exact counts give the bench a Redis of its own (--redis-url).`;

/** `--cluster --preset quick --rounds 3 ...` → a plan; the flags of one target only (`--only`, `--profile`) are refused. */
export function clusterPlanFromArgs(argv: readonly string[]): ClusterPlan {
  const args = argv.filter((a) => a !== '--cluster');
  if (args.includes('--help')) throw new Error(CLUSTER_HELP);
  const take = (flag: string, fallback: string) => {
    const at = args.indexOf(flag);
    if (at < 0) return fallback;
    const [, value] = args.splice(at, 2);
    if (!value) throw new Error(`${flag} needs a URL\n${CLUSTER_HELP}`);
    return value;
  };
  const redisUrl = take('--redis-url', process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  for (const refused of ['--only', '--profile', '--socket-rate', '--all-scope']) {
    if (args.includes(refused)) throw new Error(`${refused} is not a flag of the cluster bench\n${CLUSTER_HELP}`);
  }
  let plan: BenchPlan;
  try {
    plan = planFromArgs(args);
  } catch (e) {
    throw new Error(`${(e as Error).message.split('\n')[0]}\n${CLUSTER_HELP}`);
  }
  return { ...plan, redisUrl };
}
