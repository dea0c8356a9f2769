import { decodeFrame, MEDIA_FRAME_SAMPLES } from '@earshot/shared';
import { describe, expect, it } from 'vitest';
import { MicFrames } from './micFrames.js';

const block = (value: number, n = 128) => new Float32Array(n).fill(value);
const headers = (frames: Uint8Array[]) => frames.map((f) => decodeFrame(f)).map((r) => (r.ok ? [r.frame.track, r.frame.seq, r.frame.timestamp] : r.reason));

describe('MicFrames', () => {
  it('cuts 128-sample blocks into numbered 20 ms frames of its track, stamped from the first sound sent', () => {
    const mic = new MicFrames('supervisor', () => 5000);
    const frames = [0, 1, 2, 3, 4].flatMap(() => mic.push(block(0.5)));
    expect(headers(frames)).toEqual([
      ['supervisor', 0, 5000],
      ['supervisor', 1, 5020],
      ['supervisor', 2, 5040],
      ['supervisor', 3, 5060],
    ]);
    const first = decodeFrame(frames[0]!);
    expect(first.ok && first.frame.samples[0]).toBe(16384);
    expect(first.ok && first.frame.samples.length).toBe(MEDIA_FRAME_SAMPLES);
  });

  it('muted sends nothing but still reads the level; unmuted, the numbering goes on', () => {
    const mic = new MicFrames('agent', () => 0);
    expect(mic.push(block(0.25, 160))).toHaveLength(1);
    mic.setMuted(true);
    expect(mic.push(block(0.5, 160))).toEqual([]);
    expect(mic.muted).toBe(true);
    expect(mic.takeLevel()).toBeCloseTo(Math.sqrt((0.25 ** 2 + 0.5 ** 2) / 2), 12);
    mic.setMuted(false);
    expect(headers(mic.push(block(0.25, 160)))).toEqual([['agent', 1, 20]]);
  });
});
