import { MEDIA_CLOSE_CODES } from '@earshot/shared';

/** The socket under one listener, as the media plane needs it (ws in production, a fake in unit tests). */
export interface FrameSocket {
  /** `done` runs once the frame was handed to the operating system, or with the error that stopped it. */
  send(frame: Uint8Array, done: (err?: Error) => void): void;
  close(code: number, reason: string): void;
}

/**
 * architecture.md "Media plane": "per-socket backpressure (drop stale audio, close a consumer that stays
 * too slow)". Counted in frames, not time, so the behaviour does not depend on the timer's jitter.
 */
export interface BackpressureLimits {
  /** Frames handed to the socket whose write has not completed. */
  maxInFlight: number;
  /** Frames waiting behind those; past this the oldest, the stalest, is dropped. */
  maxQueued: number;
  /** Frames dropped since the queue last ran empty, after which the consumer is closed as too slow. */
  maxDropsBeforeClose: number;
}

/** 8 in flight and 16 queued: under half a second of two tracks; 500 drops: about five seconds of them. */
export const DEFAULT_BACKPRESSURE: BackpressureLimits = { maxInFlight: 8, maxQueued: 16, maxDropsBeforeClose: 500 };

/** One listening socket: frames go out at once while it keeps up, wait a little, and are dropped stale. */
export class MediaConsumer {
  private inFlight = 0;
  private readonly queue: Uint8Array[] = [];
  private dropsSinceDrained = 0;
  private closed = false;
  sent = 0;
  dropped = 0;

  constructor(
    private readonly socket: FrameSocket,
    private readonly limits: BackpressureLimits = DEFAULT_BACKPRESSURE,
    private readonly onTooSlow: () => void = () => {},
  ) {}

  get isClosed(): boolean {
    return this.closed;
  }

  push(frame: Uint8Array): void {
    if (this.closed) return;
    if (this.queue.length === 0 && this.inFlight < this.limits.maxInFlight) return this.write(frame);
    this.queue.push(frame);
    if (this.queue.length <= this.limits.maxQueued) return;
    this.queue.shift();
    this.dropped++;
    if (++this.dropsSinceDrained >= this.limits.maxDropsBeforeClose) {
      this.close(MEDIA_CLOSE_CODES.TOO_SLOW, `too slow: ${this.dropsSinceDrained} frames dropped in a row`);
      this.onTooSlow();
    }
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    this.socket.close(code, reason);
  }

  private write(frame: Uint8Array): void {
    this.inFlight++;
    this.sent++;
    this.socket.send(frame, (err) => {
      this.inFlight--;
      if (err) {
        // The socket is gone already (closed under us): nothing more to send or to close.
        this.closed = true;
        this.queue.length = 0;
        return;
      }
      this.drain();
    });
  }

  private drain(): void {
    while (!this.closed && this.queue.length > 0 && this.inFlight < this.limits.maxInFlight) this.write(this.queue.shift()!);
    if (this.queue.length === 0) this.dropsSinceDrained = 0;
  }
}
