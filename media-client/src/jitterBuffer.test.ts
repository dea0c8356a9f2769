import { describe, expect, it } from 'vitest';
import { JitterBuffer, seqDistance } from './jitterBuffer.js';

/** Pops `n` times: the frames' labels, '-' for silence. */
const popN = (b: JitterBuffer<string>, n: number) => Array.from({ length: n }, () => b.pop() ?? '-');

describe('JitterBuffer', () => {
  it('holds its cushion before playing, then plays in order', () => {
    const b = new JitterBuffer<string>({ targetFrames: 3, maxFrames: 8 });
    b.push(10, 'a');
    b.push(11, 'b');
    expect(popN(b, 2)).toEqual(['-', '-']);
    b.push(12, 'c');
    expect(popN(b, 3)).toEqual(['a', 'b', 'c']);
    expect(b.counts).toEqual({ played: 3, underruns: 0, dropped: 0, missing: 0 });
  });

  it('after running dry it fills its cushion again before playing on', () => {
    const b = new JitterBuffer<string>({ targetFrames: 2, maxFrames: 8 });
    b.push(0, 'a');
    b.push(1, 'b');
    expect(popN(b, 3)).toEqual(['a', 'b', '-']);
    expect(b.counts.underruns).toBe(1);
    expect(b.isPlaying).toBe(false);
    b.push(2, 'c');
    expect(popN(b, 1)).toEqual(['-']);
    b.push(3, 'd');
    expect(popN(b, 2)).toEqual(['c', 'd']);
    expect(b.counts.underruns).toBe(1);
  });

  it('keeps the place of frames the server dropped, as silence', () => {
    const b = new JitterBuffer<string>({ targetFrames: 1, maxFrames: 8 });
    b.push(0, 'a');
    b.push(1, 'b');
    b.push(4, 'e');
    expect(popN(b, 5)).toEqual(['a', 'b', '-', '-', 'e']);
    expect(b.counts).toEqual({ played: 3, underruns: 0, dropped: 0, missing: 2 });
  });

  it('drops its oldest frames down to the cushion when it grows past its maximum', () => {
    const b = new JitterBuffer<string>({ targetFrames: 2, maxFrames: 4 });
    for (const [seq, label] of [
      [0, 'a'],
      [1, 'b'],
      [2, 'c'],
      [3, 'd'],
      [4, 'e'],
    ] as const)
      b.push(seq, label);
    expect(b.depth).toBe(2);
    b.push(5, 'f');
    expect(popN(b, 4)).toEqual(['d', 'e', 'f', '-']);
    expect(b.counts.dropped).toBe(3);
  });

  it('a sender that starts again (the sequence goes back, or leaps far) just follows, with no silence put in', () => {
    const b = new JitterBuffer<string>({ targetFrames: 1, maxFrames: 8 });
    b.push(500, 'a');
    b.push(0, 'b');
    b.push(1000, 'c');
    expect(popN(b, 3)).toEqual(['a', 'b', 'c']);
    expect(b.counts.missing).toBe(0);
  });

  it('runs on across the wrap of the 32-bit sequence', () => {
    const b = new JitterBuffer<string>({ targetFrames: 1, maxFrames: 8 });
    b.push(2 ** 32 - 1, 'a');
    b.push(0, 'b');
    b.push(2, 'd');
    expect(popN(b, 4)).toEqual(['a', 'b', '-', 'd']);
    expect(seqDistance(0, 2 ** 32 - 1)).toBe(1);
    expect(seqDistance(2 ** 32 - 1, 0)).toBe(-1);
    expect(seqDistance(7, 3)).toBe(4);
  });

  it('refuses a cushion larger than its maximum', () => {
    expect(() => new JitterBuffer({ targetFrames: 5, maxFrames: 4 })).toThrow('need 1 <= targetFrames <= maxFrames, got 5 and 4');
  });
});
