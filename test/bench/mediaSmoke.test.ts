import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { mediaPlanFor } from './mediaPlan.js';
import type { MediaReport } from './mediaReport.js';
import { runMediaBench } from './runMediaBench.js';

const outDir = mkdtempSync(join(tmpdir(), 'earshot-media-bench-smoke-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

// The media bench at tiny scale, both targets, the server from source: every frame that reached a
// supervisor is the one sent, whole and in order, and the coaching supervisor's voice reached the
// platform. No timing is asserted (the machine is shared; timings belong to `npm run bench -- --media`).
it('streams the calls through the platform boundary to their supervisors, intact and in order, beside the bare relay', async () => {
  const lines: string[] = [];
  const report = await runMediaBench(mediaPlanFor('tiny', { outDir, serverEntry: 'source' }), (l) => lines.push(l));

  const printed = lines.join('\n');
  expect(printed).toContain('frame in → supervisor p99 (ms)');
  expect(printed).toMatch(/earshot worst +relay worst +ratio worst/);
  expect(existsSync(report.files!.markdown)).toBe(true);
  const written = JSON.parse(readFileSync(report.files!.json, 'utf8')) as MediaReport;
  expect(written.rows.map((r) => r.metric)).toEqual(report.rows.map((r) => r.metric));

  expect(report.earshot).toHaveLength(1);
  expect(report.relay).toHaveLength(1);
  for (const result of [...report.earshot, ...report.relay]) {
    expect(result.calls).toMatchObject({ set: 4, listening: 4, failed: 0 });
    const d = result.delivery;
    expect(d.expected).toBeGreaterThan(0);
    // Every sample of every frame checked: nothing arrived altered, at the wrong call or track, or out of order.
    expect(d).toMatchObject({ corrupted: 0, outOfOrder: 0 });
    expect(result.errors).toEqual([]);
    expect(d.received).toBeGreaterThan(0);
    expect(result.latency.count).toBe(d.received);
    // One coaching supervisor: their stamped voice reached the platform (Earshot) or the relay, whole.
    expect(result.coachBack.sent).toBeGreaterThan(0);
    expect(result.coachBack.received).toBeGreaterThan(0);
    expect(result.coachBack.broken).toBe(0);
    expect(result.cpu.otherPercent).toBeGreaterThanOrEqual(0);
    // This kernel keeps each thread's time on a run queue (/proc/<pid>/task/<tid>/schedstat).
    expect(result.cpu.serverWaitPercent).toBeGreaterThanOrEqual(0);
    expect(result.cpu.busiestOthers.every((o) => o.percent >= 1)).toBe(true);
  }
  expect(printed).toMatch(/^earshot round 1: .*; waiting for a core [\d.]+ %; .*; busiest other processes: (none over 1 %|.+ %)$/m);
  const [earshot] = report.earshot;
  // The calls were recorded to disk while they were monitored.
  expect(earshot!.recorderBytesPerSecond).toBeGreaterThan(0);
  expect(earshot!.target).toMatchObject({ recordings: 4, listeners: 4 });
  // The media plane's grouped counters are written one per line under their dotted names.
  const markdown = readFileSync(report.files!.markdown, 'utf8');
  expect(markdown).toMatch(/^- earshot \(target\): frames\.supervisor\.routed: \d+$/m);
  expect(markdown).not.toContain('[object Object]');
  // The server's counters over the window alone: none of the calls' set-up, whose tracks start late.
  expect(earshot!.targetInWindow).toMatchObject({ platformFrames: { fillers: expect.any(Number), dropped: expect.any(Number) } });
  const pushedInWindow = earshot!.targetInWindow.framesPushed as number;
  expect(pushedInWindow).toBeGreaterThan(0);
  expect(pushedInWindow).toBeLessThan(earshot!.target.framesPushed as number);
  expect(report.rows.find((r) => r.metric === 'platform frames dropped ahead of the media clock (server, window)')).toBeDefined();
}, 180_000);
