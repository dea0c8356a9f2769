import { MEDIA_FRAME_SAMPLES } from '@earshot/shared';
import { describe, expect, it } from 'vitest';
import { JitterBuffer } from './jitterBuffer.js';

/** A frame whose every sample is `n`: which frame came out is read off its first sample. */
const frame = (n: number) => new Int16Array(MEDIA_FRAME_SAMPLES).fill(n);
const idOf = (f: Int16Array | null) => (f === null ? null : f[0]);

describe('JitterBuffer', () => {
  it('pulls nothing before the first frame was pushed, and counts no gap for it', () => {
    const b = new JitterBuffer();
    expect(b.pull(0)).toBeNull();
    expect(b.pull(20)).toBeNull();
    expect(b.stats()).toEqual({ dropped: 0, missing: 0 });
  });

  it('hands frames out in the order they were pushed, one a pull', () => {
    const b = new JitterBuffer();
    b.push(frame(1), 0);
    b.push(frame(2), 5);
    expect([idOf(b.pull(10)), idOf(b.pull(30))]).toEqual([1, 2]);
  });

  it('leaves a gap in a step when no frame has arrived, and carries on with the next one that does', () => {
    const b = new JitterBuffer();
    b.push(frame(1), 0);
    expect(idOf(b.pull(0))).toBe(1);
    expect(b.pull(20)).toBeNull();
    b.push(frame(2), 35);
    expect(idOf(b.pull(40))).toBe(2);
    expect(b.stats()).toEqual({ dropped: 0, missing: 1 });
  });

  it('drops the oldest frames when more wait than the limit', () => {
    const b = new JitterBuffer({ maxFrames: 3, maxAgeMs: 1000 });
    for (let n = 1; n <= 5; n++) b.push(frame(n), 0);
    expect(b.depth).toBe(3);
    expect([idOf(b.pull(0)), idOf(b.pull(20)), idOf(b.pull(40))]).toEqual([3, 4, 5]);
    expect(b.stats().dropped).toBe(2);
  });

  it('drops a frame that has waited longer than the age limit when its turn comes', () => {
    const b = new JitterBuffer({ maxFrames: 10, maxAgeMs: 100 });
    b.push(frame(1), 0);
    b.push(frame(2), 50);
    b.push(frame(3), 90);
    // At 160, frame 1 (160 ms old) is stale; frame 2 (110 ms) too; frame 3 (70 ms) plays.
    expect(idOf(b.pull(160))).toBe(3);
    expect(b.stats()).toEqual({ dropped: 2, missing: 0 });
  });

  it('refuses a frame that is not 160 samples', () => {
    expect(() => new JitterBuffer().push(new Int16Array(80), 0)).toThrow(/160 samples/);
  });
});
