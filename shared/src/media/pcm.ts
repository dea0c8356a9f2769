import { MEDIA_FRAME_MS, MEDIA_FRAME_SAMPLES, type MediaTrack } from './constants.js';
import { encodeFrame } from './frame.js';

/** Web Audio floats in [-1, 1] to 16-bit PCM (clipped). */
export function floatToPcm16(input: Float32Array): Int16Array {
  const out = new Int16Array(input.length);
  for (let i = 0; i < input.length; i++) {
    const s = Math.max(-1, Math.min(1, input[i]!));
    out[i] = s < 0 ? Math.round(s * 0x8000) : Math.round(s * 0x7fff);
  }
  return out;
}

/** 16-bit PCM to Web Audio floats in [-1, 1]. */
export function pcm16ToFloat(input: Int16Array): Float32Array {
  const out = new Float32Array(input.length);
  for (let i = 0; i < input.length; i++) out[i] = input[i]! / (input[i]! < 0 ? 0x8000 : 0x7fff);
  return out;
}

/**
 * Cuts a stream of 8 kHz samples, in blocks of any length (an AudioWorklet hands 128 at a time), into
 * encoded 20 ms frames of one track, numbered from 0. The timestamp of each frame is the capture time of
 * its first sample, counted from `startedAt` at the nominal rate.
 */
export class FrameAssembler {
  private readonly pending = new Int16Array(MEDIA_FRAME_SAMPLES);
  private filled = 0;
  private count = 0;

  constructor(
    private readonly track: MediaTrack,
    private readonly startedAt: number,
  ) {}

  /** The complete frames the block finishes (none, one or more). */
  push(samples: Int16Array): Uint8Array[] {
    const frames: Uint8Array[] = [];
    let from = 0;
    while (from < samples.length) {
      const take = Math.min(MEDIA_FRAME_SAMPLES - this.filled, samples.length - from);
      this.pending.set(samples.subarray(from, from + take), this.filled);
      this.filled += take;
      from += take;
      if (this.filled === MEDIA_FRAME_SAMPLES) {
        frames.push(encodeFrame({ track: this.track, seq: this.count, timestamp: this.startedAt + this.count * MEDIA_FRAME_MS, samples: this.pending }));
        this.count++;
        this.filled = 0;
      }
    }
    return frames;
  }
}
