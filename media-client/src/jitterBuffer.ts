/**
 * The playout queue of one track. Frames come over one WebSocket, so they arrive in order: what a jitter
 * buffer must absorb here is their uneven spacing (the server's 20 ms clock against the sound card's), and
 * the gaps the server leaves when it drops stale audio for a slow listener. It holds a small cushion of
 * frames before it plays (`targetFrames`), refills that cushion after it runs dry, and drops its oldest
 * frames when it grows past `maxFrames`, so the delay stays small whichever clock runs faster.
 *
 * No browser API: the same class runs in the AudioWorklet and in Node's tests.
 */
export interface JitterBufferOptions {
  /** Frames held before playing starts, and again after an underrun. */
  targetFrames: number;
  /** Past this many frames waiting, the oldest are dropped down to `targetFrames`. */
  maxFrames: number;
}

export interface JitterBufferCounts {
  /** Frames handed out to be played (gap fillers not counted). */
  played: number;
  /** Times the buffer ran dry while playing, and went back to filling its cushion. */
  underruns: number;
  /** Frames dropped because the buffer grew past `maxFrames`. */
  dropped: number;
  /** Frames missing from the sequence (the server dropped them), played as silence. */
  missing: number;
}

const SEQ_SPAN = 2 ** 32;

/** `a - b` on the 32-bit sequence circle: positive when `a` comes after `b`. */
export function seqDistance(a: number, b: number): number {
  const d = (((a - b) % SEQ_SPAN) + SEQ_SPAN) % SEQ_SPAN;
  return d >= SEQ_SPAN / 2 ? d - SEQ_SPAN : d;
}

export class JitterBuffer<T> {
  /** Waiting frames, oldest first; null stands for a frame missing from the sequence. */
  private readonly queue: (T | null)[] = [];
  private playing = false;
  private lastSeq: number | null = null;
  readonly counts: JitterBufferCounts = { played: 0, underruns: 0, dropped: 0, missing: 0 };

  constructor(private readonly options: JitterBufferOptions) {
    if (options.targetFrames < 1 || options.maxFrames < options.targetFrames) {
      throw new RangeError(`JitterBuffer: need 1 <= targetFrames <= maxFrames, got ${options.targetFrames} and ${options.maxFrames}`);
    }
  }

  /** Frames waiting, gap fillers included. */
  get depth(): number {
    return this.queue.length;
  }

  get isPlaying(): boolean {
    return this.playing;
  }

  push(seq: number, frame: T): void {
    if (this.lastSeq !== null) {
      const step = seqDistance(seq, this.lastSeq);
      // A short gap keeps its place in time as silence. A sequence that goes back or leaps far ahead is a
      // sender that started again (a reconnected plugin numbers from 0): its frames simply follow.
      if (step > 1 && step - 1 <= this.options.maxFrames) {
        for (let i = 1; i < step; i++) this.queue.push(null);
        this.counts.missing += step - 1;
      }
    }
    this.lastSeq = seq;
    this.queue.push(frame);
    if (this.queue.length > this.options.maxFrames) {
      const excess = this.queue.length - this.options.targetFrames;
      const dropped = this.queue.splice(0, excess);
      this.counts.dropped += dropped.filter((f) => f !== null).length;
    }
  }

  /** The next 20 ms to play: a frame, or null for silence (filling the cushion, or a missing frame). */
  pop(): T | null {
    if (!this.playing) {
      if (this.queue.length < this.options.targetFrames) return null;
      this.playing = true;
    }
    if (this.queue.length === 0) {
      this.playing = false;
      this.counts.underruns++;
      return null;
    }
    const frame = this.queue.shift()!;
    if (frame !== null) this.counts.played++;
    return frame;
  }
}
