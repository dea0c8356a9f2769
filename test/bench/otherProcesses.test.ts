import { expect, it } from 'vitest';
import { busiestOthers, describeOthers, readAllProcessTimes, type ProcessTimes } from './otherProcesses.js';

const times = (atUs: number, entries: [pid: number, name: string, cpuSeconds: number][]): ProcessTimes => ({
  atUs,
  byPid: new Map(entries.map(([pid, name, cpuSeconds]) => [pid, { name, cpuSeconds }])),
});

it('names the busiest processes over the window but the ones left out, busiest first, as percent of one core', () => {
  const from = times(0, [
    [1, 'init', 5],
    [77, 'kdamond.0', 80],
    [200, 'node', 10],
    [300, 'node', 20],
    [400, 'redis-server', 3],
  ]);
  const to = times(10e6, [
    [1, 'init', 5.05],
    [77, 'kdamond.0', 81.2],
    [200, 'node', 14],
    [300, 'node', 20.4],
    [400, 'redis-server', 3.3],
    // Started within the window: all its time is the window's.
    [500, 'kworker/u8:1', 0.25],
  ]);
  const others = busiestOthers(from, to, new Set([200]), { names: new Map([[300, 'bench runner']]) });
  expect(others).toEqual([
    { pid: 77, name: 'kdamond.0', percent: 12 },
    { pid: 300, name: 'bench runner', percent: 4 },
    { pid: 400, name: 'redis-server', percent: 3 },
  ]);
  expect(describeOthers(others)).toBe('kdamond.0 12 %, bench runner 4 %, redis-server 3 %');
  expect(busiestOthers(from, to, new Set([200]), { top: 5 }).map((o) => o.name)).toEqual(['kdamond.0', 'node', 'redis-server', 'kworker/u8:1']);
});

it('takes a pid that a new process reused within the window for the new one, and names nobody under 1 % or over no time', () => {
  const from = times(0, [[42, 'old', 50]]);
  const to = times(2e6, [[42, 'new', 0.1]]);
  expect(busiestOthers(from, to, new Set())).toEqual([{ pid: 42, name: 'new', percent: 5 }]);
  expect(busiestOthers(times(0, [[7, 'idle', 1]]), times(2e6, [[7, 'idle', 1.01]]), new Set())).toEqual([]);
  expect(busiestOthers(from, times(0, [[42, 'new', 9]]), new Set())).toEqual([]);
  expect(describeOthers([])).toBe('none over 1 %');
});

it('reads every process of the machine, this one among them', () => {
  const now = readAllProcessTimes();
  expect(now.byPid.get(process.pid)?.cpuSeconds).toBeGreaterThan(0);
  expect(now.byPid.size).toBeGreaterThan(1);
});
