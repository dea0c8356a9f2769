/**
 * `npm run bench -- [flags]`: see benchPlan.ts for the flags. The quick default runs about 1,000 agents
 * in under a minute; `--preset full` and `--preset stretch` run the targets.
 */
import { planFromArgs } from './benchPlan.js';
import { runBench } from './runBench.js';

// Bounded: whatever happens, the bench ends by itself.
const plan = planFromArgs(process.argv.slice(2));
const limitMs = (plan.warmupSeconds + plan.measureSeconds) * 2_000 + 20 * 60_000;
const watchdog = setTimeout(() => {
  console.error(`bench: still running after ${limitMs / 1000} s, stopping`);
  process.exit(2);
}, limitMs);
watchdog.unref();

try {
  await runBench(plan);
  process.exit(0);
} catch (e) {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
}
