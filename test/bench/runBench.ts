import { floorShape, type BenchPlan, type TargetKind } from './benchPlan.js';
import { buildReport, columnNamesOf, describePlan, formatTable, writeReport, type BenchReport } from './benchReport.js';
import { runTarget, type TargetResult } from './runTarget.js';

/**
 * The whole bench: the bare relay (the baseline) and the Earshot server, each in its own process with its
 * own load workers, on the same floor and the same load, `plan.rounds` times each, taking turns (which of
 * the two goes first alternates, so a drift of the machine does not favour either); then the report.
 */
export async function runBench(plan: BenchPlan, log: (line: string) => void = console.log): Promise<BenchReport> {
  const shape = floorShape(plan);
  log(describePlan(plan));
  const results: Record<TargetKind, TargetResult[]> = { relay: [], earshot: [] };
  for (let round = 0; round < plan.rounds; round++) {
    const order: TargetKind[] = round % 2 === 0 ? ['relay', 'earshot'] : ['earshot', 'relay'];
    for (const kind of order) {
      if (!plan.targets.includes(kind)) continue;
      if (plan.rounds > 1) log(`round ${round + 1} of ${plan.rounds}`);
      results[kind].push(await runTarget(kind, plan, shape, log));
    }
  }
  const report = writeReport(buildReport(plan, results.earshot, results.relay));
  log(`\n${formatTable(report.rows, columnNamesOf(plan))}\n`);
  if (plan.rounds > 1) log(`${report.roundsSummary.join('\n')}\n`);
  log(`written: ${report.files!.markdown}\n         ${report.files!.json}`);
  return report;
}
