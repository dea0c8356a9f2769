/**
 * `npm run bench -- [flags]`: see benchPlan.ts for the flags. The quick default runs about 1,000 agents
 * in under a minute; `--preset full` and `--preset stretch` run the targets. `--media` runs the
 * media bench instead (mediaPlan.ts for its flags); `--store` what a write costs on each store (runStoreBench.ts);
 * `--cluster` one node against three sharing Redis and PostgreSQL (clusterPlan.ts, runClusterBench.ts).
 */
import { planFromArgs } from './benchPlan.js';
import { clusterPlanFromArgs } from './clusterPlan.js';
import { mediaPlanFromArgs } from './mediaPlan.js';
import { runBench } from './runBench.js';
import { runClusterBench } from './runClusterBench.js';
import { runMediaBench } from './runMediaBench.js';
import { runStoreBench, storeBenchFlags } from './runStoreBench.js';

const argv = process.argv.slice(2);
if (argv.includes('--store')) {
  let flags: ReturnType<typeof storeBenchFlags>;
  try {
    flags = storeBenchFlags(argv);
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
  await runStoreBench(flags);
  process.exit(0);
}
const media = argv.includes('--media');
const cluster = argv.includes('--cluster');
const plan = media ? mediaPlanFromArgs(argv) : cluster ? clusterPlanFromArgs(argv) : planFromArgs(argv);
// Bounded: whatever happens, the bench ends by itself.
const limitMs = (plan.warmupSeconds + plan.measureSeconds) * 2_000 * plan.rounds * 2 + 20 * 60_000;
const watchdog = setTimeout(() => {
  console.error(`bench: still running after ${limitMs / 1000} s, stopping`);
  process.exit(2);
}, limitMs);
watchdog.unref();

try {
  if (media) await runMediaBench(mediaPlanFromArgs(argv));
  else if (cluster) await runClusterBench(clusterPlanFromArgs(argv));
  else await runBench(planFromArgs(argv));
  process.exit(0);
} catch (e) {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
}
