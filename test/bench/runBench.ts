import { floorShape, type BenchPlan } from './benchPlan.js';
import { buildReport, describePlan, formatTable, writeReport, type BenchReport } from './benchReport.js';
import { runTarget, type TargetResult } from './runTarget.js';

/**
 * The whole bench: the bare relay first (the baseline), then the Earshot server, each in its own process
 * with its own load workers, on the same floor and the same load; then the report.
 */
export async function runBench(plan: BenchPlan, log: (line: string) => void = console.log): Promise<BenchReport> {
  const shape = floorShape(plan);
  log(describePlan(plan));
  let relay: TargetResult | null = null;
  let earshot: TargetResult | null = null;
  if (plan.targets.includes('relay')) relay = await runTarget('relay', plan, shape, log);
  if (plan.targets.includes('earshot')) earshot = await runTarget('earshot', plan, shape, log);
  const report = writeReport(buildReport(plan, earshot, relay));
  log(`\n${formatTable(report.rows)}\n`);
  log(`written: ${report.files!.markdown}\n         ${report.files!.json}`);
  return report;
}
