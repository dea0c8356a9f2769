import { MEDIA_FRAME_SAMPLES } from '@earshot/shared';
import { describe, expect, it } from 'vitest';
import { CallRecorder, SLOTS_PER_WRITE } from './callRecorder.js';

/** The writes a recorder makes, read back as stereo samples. */
class WrittenFile {
  readonly writes: Buffer[] = [];
  /** The memory of each chunk appended, and how to hand it back. */
  readonly appended: { memory: ArrayBufferLike; release: () => void }[] = [];
  append(chunk: Buffer, released: () => void): void {
    this.writes.push(Buffer.from(chunk));
    this.appended.push({ memory: chunk.buffer, release: released });
  }
  async close(): Promise<number> {
    return this.writes.reduce((n, w) => n + w.length, 0);
  }
  /** [left, right] of every sample written, in order. */
  samples(): [number, number][] {
    const all = Buffer.concat(this.writes);
    const out: [number, number][] = [];
    for (let o = 0; o < all.length; o += 4) out.push([all.readInt16LE(o), all.readInt16LE(o + 2)]);
    return out;
  }
}

const frameOf = (value: (i: number) => number) => Int16Array.from({ length: MEDIA_FRAME_SAMPLES }, (_, i) => value(i));

describe('CallRecorder', () => {
  it('lays the customer on the left and the agent on the right, mixes a supervisor in clipped, and writes silence where no frame came', async () => {
    const file = new WrittenFile();
    const recorder = new CallRecorder(file, () => undefined);
    recorder.accept(
      'customer',
      frameOf((i) => i - 80),
      0,
    );
    recorder.accept(
      'agent',
      frameOf(() => 30_000),
      0,
    );
    recorder.accept(
      'supervisor',
      frameOf((i) => (i % 2 === 0 ? 5_000 : -100)),
      0,
    );
    recorder.slot(false, 0);
    recorder.accept(
      'agent',
      frameOf(() => -7),
      20,
    );
    recorder.slot(false, 20);
    recorder.slot(false, 40);
    const finished = await recorder.finish();
    expect(finished.durationMs).toBe(60);
    const samples = file.samples();
    expect(samples).toHaveLength(3 * MEDIA_FRAME_SAMPLES);
    expect(samples.slice(0, 3)).toEqual([
      [-80, 32767],
      [-79, 29900],
      [-78, 32767],
    ]);
    expect(samples[MEDIA_FRAME_SAMPLES - 1]).toEqual([79, 29900]);
    expect(samples.slice(MEDIA_FRAME_SAMPLES, 2 * MEDIA_FRAME_SAMPLES).every(([l, r]) => l === 0 && r === -7)).toBe(true);
    expect(samples.slice(2 * MEDIA_FRAME_SAMPLES).every(([l, r]) => l === 0 && r === 0)).toBe(true);
  });

  it('writes its first chunk after the slots it was given, then a second of audio at a time', () => {
    const file = new WrittenFile();
    const recorder = new CallRecorder(file, () => undefined, 7);
    for (let n = 0; n < 6; n++) recorder.slot(false, n * 20);
    expect(file.writes).toHaveLength(0);
    recorder.slot(false, 120);
    expect(file.writes.map((w) => w.length)).toEqual([7 * MEDIA_FRAME_SAMPLES * 4]);
    for (let n = 7; n < 7 + SLOTS_PER_WRITE; n++) recorder.slot(false, n * 20);
    expect(file.writes.map((w) => w.length)).toEqual([7 * MEDIA_FRAME_SAMPLES * 4, SLOTS_PER_WRITE * MEDIA_FRAME_SAMPLES * 4]);
  });

  it('a paused slot is silence on both channels and opens a paused span, closed by the next slot that plays', async () => {
    const file = new WrittenFile();
    const told: unknown[] = [];
    const recorder = new CallRecorder(file, (spans) => told.push(spans));
    recorder.accept(
      'customer',
      frameOf(() => 11),
      0,
    );
    recorder.accept(
      'agent',
      frameOf(() => 22),
      0,
    );
    recorder.slot(true, 0);
    recorder.accept(
      'customer',
      frameOf(() => 33),
      20,
    );
    recorder.slot(false, 20);
    const finished = await recorder.finish();
    expect(finished.pausedSpans).toEqual([{ fromMs: 0, toMs: 20 }]);
    expect(told).toEqual([[{ fromMs: 0, toMs: null }], [{ fromMs: 0, toMs: 20 }]]);
    const samples = file.samples();
    expect(samples.slice(0, MEDIA_FRAME_SAMPLES).every(([l, r]) => l === 0 && r === 0)).toBe(true);
    expect(samples.slice(MEDIA_FRAME_SAMPLES).every(([l, r]) => l === 33 && r === 0)).toBe(true);
  });

  it('fills a chunk again only once the file has handed it back', () => {
    const file = new WrittenFile();
    const recorder = new CallRecorder(file, () => undefined, 1);
    const flushOnce = () => {
      for (let n = 0; n < (file.appended.length === 0 ? 1 : SLOTS_PER_WRITE); n++) recorder.slot(false, 0);
    };
    flushOnce();
    flushOnce();
    const [first, second] = file.appended;
    expect(second!.memory).not.toBe(first!.memory);
    // Handed back while the third was being filled: the fourth second is laid into it.
    first!.release();
    flushOnce();
    expect([first!.memory, second!.memory]).not.toContain(file.appended[2]!.memory);
    flushOnce();
    expect(file.appended[3]!.memory).toBe(first!.memory);
  });
});
