import { MEDIA_FRAME_MS, MEDIA_FRAME_SAMPLES } from '@earshot/shared';

export interface JitterBufferLimits {
  /** Frames that may wait; one more drops the oldest (a burst after a stall is stale audio, not speech to catch up on). */
  maxFrames: number;
  /** A frame older than this when its turn comes is dropped: the listener would hear it that late. */
  maxAgeMs: number;
}

/** 100 ms of slack: more than a network's usual jitter, less than a delay a listener notices in a conversation. */
export const DEFAULT_JITTER_LIMITS: JitterBufferLimits = { maxFrames: 5, maxAgeMs: 5 * MEDIA_FRAME_MS };

/**
 * The customer's track on its way into a call's recording, between a platform that pushes frames as they
 * arrive and the recorder's 20 ms clock that pulls one a step (the listeners get each frame at once, not
 * through here). The platform's pace and the clock's never match exactly: a frame that has not arrived
 * when its turn comes is a gap (`null`: the clock never waits), and frames that pile up beyond the limits
 * are dropped oldest first, so the delay stays bounded. Pure: the caller passes the time.
 */
export class JitterBuffer {
  /** The frames waiting and when each arrived, side by side: no object is made per frame. */
  private readonly frames: Int16Array[] = [];
  private readonly arrivals: number[] = [];
  private started = false;
  private dropped = 0;
  private missing = 0;

  constructor(private readonly limits: JitterBufferLimits = DEFAULT_JITTER_LIMITS) {}

  push(samples: Int16Array, at: number): void {
    if (samples.length !== MEDIA_FRAME_SAMPLES) throw new RangeError(`a frame is ${MEDIA_FRAME_SAMPLES} samples, not ${samples.length}`);
    this.started = true;
    this.frames.push(samples);
    this.arrivals.push(at);
    while (this.frames.length > this.limits.maxFrames) this.dropOldest();
  }

  /** The frame for this 20 ms step: the oldest fresh one waiting, null when none is (a gap once frames have come). */
  pull(now: number): Int16Array | null {
    while (this.frames.length > 0 && now - this.arrivals[0]! > this.limits.maxAgeMs) this.dropOldest();
    const next = this.frames.shift();
    this.arrivals.shift();
    if (next) return next;
    if (this.started) this.missing++;
    return null;
  }

  private dropOldest(): void {
    this.frames.shift();
    this.arrivals.shift();
    this.dropped++;
  }

  /** Frames waiting now. */
  get depth(): number {
    return this.frames.length;
  }

  /** Frames dropped (too many waiting, or too old) and steps with no frame after the first, since the start. */
  stats(): { dropped: number; missing: number } {
    return { dropped: this.dropped, missing: this.missing };
  }
}
