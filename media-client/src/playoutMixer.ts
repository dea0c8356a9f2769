import { JitterBuffer, type JitterBufferCounts, type JitterBufferOptions } from './jitterBuffer.js';
import { LevelMeter } from './levelMeter.js';

/**
 * The listener's mixer (the server forwards tracks and never mixes live audio: media README "What each
 * listener receives"). Each track that arrives gets its own jitter buffer; every 20 ms one frame of each
 * is summed, clipped and scaled by the volume. `render` fills output blocks of any length (an AudioWorklet
 * asks for 128 samples at a time, a frame holds 160), and the level meter reads exactly what went out.
 *
 * No browser API and nothing imported from the wire package, so the worklet bundle stays small: the frame
 * length comes in as an option.
 */
export interface PlayoutOptions extends JitterBufferOptions {
  /** Samples in one frame (MEDIA_FRAME_SAMPLES). */
  frameSamples: number;
}

export interface PlayoutStats {
  /** Per track: the counts of its jitter buffer since playout began. */
  tracks: Record<string, JitterBufferCounts>;
  /** RMS of the samples rendered since the last reading, after the volume. */
  level: number;
}

export class PlayoutMixer {
  private readonly buffers = new Map<string, JitterBuffer<Float32Array>>();
  private readonly current: Float32Array;
  /** Read position in `current`; a full frame means the next one must be mixed. */
  private position: number;
  private volume = 1;
  private readonly meter = new LevelMeter();

  constructor(private readonly options: PlayoutOptions) {
    this.current = new Float32Array(options.frameSamples);
    this.position = options.frameSamples;
  }

  push(track: string, seq: number, samples: Float32Array): void {
    if (samples.length !== this.options.frameSamples) {
      throw new RangeError(`PlayoutMixer: a frame holds ${this.options.frameSamples} samples, not ${samples.length}`);
    }
    let buffer = this.buffers.get(track);
    if (!buffer) this.buffers.set(track, (buffer = new JitterBuffer(this.options)));
    buffer.push(seq, samples);
  }

  /** 0 mutes, 1 plays as received; above 1 amplifies (and may clip). */
  setVolume(volume: number): void {
    this.volume = Number.isFinite(volume) ? Math.max(0, volume) : 1;
  }

  render(out: Float32Array): void {
    let written = 0;
    while (written < out.length) {
      if (this.position === this.current.length) this.mixNextFrame();
      const n = Math.min(out.length - written, this.current.length - this.position);
      out.set(this.current.subarray(this.position, this.position + n), written);
      written += n;
      this.position += n;
    }
    this.meter.add(out);
  }

  /** The counts so far and the level since the last call. */
  takeStats(): PlayoutStats {
    const tracks: Record<string, JitterBufferCounts> = {};
    for (const [track, buffer] of this.buffers) tracks[track] = { ...buffer.counts };
    return { tracks, level: this.meter.take() };
  }

  private mixNextFrame(): void {
    const mix = this.current;
    mix.fill(0);
    for (const buffer of this.buffers.values()) {
      const frame = buffer.pop();
      if (!frame) continue;
      for (let i = 0; i < mix.length; i++) mix[i]! += frame[i]!;
    }
    for (let i = 0; i < mix.length; i++) {
      const v = mix[i]! * this.volume;
      mix[i] = v > 1 ? 1 : v < -1 ? -1 : v;
    }
    this.position = 0;
  }
}
