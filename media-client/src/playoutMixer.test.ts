import { describe, expect, it } from 'vitest';
import { PlayoutMixer } from './playoutMixer.js';

const FRAME = 4;
const frame = (...v: number[]) => Float32Array.from(v);
const mixer = () => new PlayoutMixer({ frameSamples: FRAME, targetFrames: 1, maxFrames: 4 });
const render = (m: PlayoutMixer, n: number) => {
  const out = new Float32Array(n);
  m.render(out);
  return [...out];
};

describe('PlayoutMixer', () => {
  it('sums the tracks frame by frame, and clips the sum', () => {
    const m = mixer();
    m.push('customer', 0, frame(0.25, 0.5, -0.5, 0.75));
    m.push('agent', 0, frame(0.25, 0.5, -0.75, 0.5));
    expect(render(m, 4)).toEqual([0.5, 1, -1, 1]);
  });

  it('fills blocks of any length across frame boundaries (128-sample quanta against 160-sample frames)', () => {
    const m = mixer();
    m.push('customer', 0, frame(0.5, 0.5, 0.5, 0.5));
    m.push('customer', 1, frame(0.25, 0.25, 0.25, 0.25));
    expect(render(m, 3)).toEqual([0.5, 0.5, 0.5]);
    expect(render(m, 3)).toEqual([0.5, 0.25, 0.25]);
    expect(render(m, 3)).toEqual([0.25, 0.25, 0]);
  });

  it('scales by the volume, and reads the level of exactly what went out', () => {
    const m = mixer();
    m.setVolume(0.5);
    m.push('customer', 0, frame(0.5, -0.5, 0.5, -0.5));
    render(m, 4);
    expect(m.takeStats()).toEqual({ tracks: { customer: { played: 1, underruns: 0, dropped: 0, missing: 0 } }, level: 0.25 });
    render(m, 4);
    expect(m.takeStats()).toEqual({ tracks: { customer: { played: 1, underruns: 1, dropped: 0, missing: 0 } }, level: 0 });
  });

  it('plays silence, and counts nothing, while a track fills its cushion', () => {
    const m = new PlayoutMixer({ frameSamples: FRAME, targetFrames: 2, maxFrames: 4 });
    m.push('agent', 7, frame(0.5, 0.5, 0.5, 0.5));
    expect(render(m, 4)).toEqual([0, 0, 0, 0]);
    expect(m.takeStats().tracks.agent!.played).toBe(0);
  });

  it('refuses a frame of the wrong length', () => {
    expect(() => mixer().push('agent', 0, new Float32Array(3))).toThrow('a frame holds 4 samples, not 3');
  });
});
