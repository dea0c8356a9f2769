import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { planFor } from './benchPlan.js';
import type { BenchReport } from './benchReport.js';
import { runBench } from './runBench.js';

const outDir = mkdtempSync(join(tmpdir(), 'earshot-bench-smoke-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

// The bench at tiny scale, both targets, the server from source: the report has its shape and nothing was
// lost or reordered. No timing is asserted (the machine is shared; timings belong to `npm run bench`).
it('runs the bench at tiny scale against the relay and the server, and loses nothing', async () => {
  const report = await runBench(planFor('tiny', { outDir, serverEntry: 'source' }), () => undefined);

  expect(report.files).not.toBeNull();
  expect(existsSync(report.files!.markdown)).toBe(true);
  const written = JSON.parse(readFileSync(report.files!.json, 'utf8')) as BenchReport;
  expect(written.rows.map((r) => r.metric)).toEqual(report.rows.map((r) => r.metric));
  expect(readFileSync(report.files!.markdown, 'utf8')).toContain('| state → supervisor p99 (ms) |');

  expect(report.earshot).toHaveLength(1);
  expect(report.relay).toHaveLength(1);
  for (const result of [...report.earshot, ...report.relay]) {
    expect(result.connected).toMatchObject({ agents: 24, supervisors: 4, failed: 0 });
    const d = result.delivery;
    expect(d.statusChangesSent).toBeGreaterThan(0);
    expect(d.expectedReceipts).toBeGreaterThan(d.statusChangesSent);
    expect(d).toMatchObject({ lost: 0, outOfOrder: 0, skipped: 0, seqGaps: 0, seqBackwards: 0, unmatched: 0, noticesLost: 0 });
    expect(d.received).toBe(d.expectedReceipts);
    expect(result.stateToSupervisor.count).toBe(d.received);
    expect(d.supervisionsStarted).toBeGreaterThan(0);
    expect(result.supervisionToNotice.count).toBe(d.supervisionsStarted);
    expect(result.ack.agentStatus.count).toBe(d.statusChangesSent);
    // Measured, not asserted positive: 21 more idle connections may fit in pages the process already holds
    // (RSS moves by whole pages; a clean run saw it not move at all), and their garbage may leave with the GC.
    expect(Number.isFinite(result.memory.perIdleAgentKb)).toBe(true);
    expect(result.cpu.serverPercent).toBeGreaterThanOrEqual(0);
    // This kernel keeps each thread's time on a run queue (/proc/<pid>/task/<tid>/schedstat).
    expect(result.cpu.serverWaitPercent).toBeGreaterThanOrEqual(0);
    // Who else ran in the window is read from /proc at its edges: named, each at 1 % of a core or more.
    for (const other of result.cpu.busiestOthers) expect(other).toMatchObject({ name: expect.any(String), percent: expect.any(Number) });
    expect(result.cpu.busiestOthers.every((o) => o.percent >= 1)).toBe(true);
  }
  for (const line of report.roundsSummary) expect(line).toMatch(/; waiting for a core [\d.]+ %; .*; busiest other processes: (none over 1 %|.+ %)$/);
  const p99 = report.rows.find((r) => r.metric === 'state → supervisor p99 (ms)')!;
  expect(p99.earshot).toBeGreaterThan(0);
  expect(p99.relay).toBeGreaterThan(0);
  expect(p99.ratio).toBeCloseTo(p99.earshot! / p99.relay!, 1);
}, 180_000);
