import { describe, expect, it } from 'vitest';
import { parseSchedstat, ProcessSampler, type ProcessSample } from './targetProcess.js';

describe("a thread's time waiting for a core", () => {
  it('reads run and wait time from schedstat, in seconds', () => {
    expect(parseSchedstat('1250000000 375000000 9001\n')).toEqual({ runSeconds: 1.25, waitSeconds: 0.375 });
  });

  it('refuses a line that is not schedstat', () => {
    expect(() => parseSchedstat('')).toThrow('not a schedstat line');
    expect(() => parseSchedstat('running since boot')).toThrow('not a schedstat line: running since boot');
  });

  it('is given as a share of the window, from the first and last samples inside it; none when the kernel keeps none', () => {
    const sampler = new ProcessSampler(() => []);
    const at = (atUs: number, mainThreadWaitSeconds: number): ProcessSample => ({ atUs, cpuSeconds: 0, rssKb: 0, mainThreadWaitSeconds });
    // Before the window (left out), then 2 s inside it during which the thread waited 0.5 s: 25 %.
    sampler.samples.set(42, [at(0, 0.2), at(1_000_000, 1), at(2_000_000, 1.2), at(3_000_000, 1.5)]);
    expect(sampler.mainThreadWaitPercent(42, 500_000, 3_000_000)).toBeCloseTo(25, 9);
    sampler.samples.set(43, [at(1_000_000, Number.NaN), at(3_000_000, Number.NaN)]);
    expect(sampler.mainThreadWaitPercent(43, 0, 3_000_000)).toBeNull();
    expect(sampler.mainThreadWaitPercent(44, 0, 3_000_000)).toBeNull();
  });
});
