import { MEDIA_CLOSE_CODES, MEDIA_FRAME_MS, MEDIA_TRACKS } from '@earshot/shared';

/** The socket under one listener, as the media plane needs it (ws in production, a fake in unit tests). */
export interface FrameSocket {
  /**
   * `done` runs once the frame was handed to the operating system, or with the error that stopped it.
   * `framed`, when given: the same frame already laid out as a whole WebSocket message (`wsFramedFrame.ts`).
   */
  send(frame: Uint8Array, done: (err?: Error) => void, framed?: Uint8Array): void;
  /**
   * Asks the client to echo `mark` once it has read everything sent before (a WebSocket ping: every client
   * answers with a pong carrying the same bytes); the answer comes back to `MediaConsumer.answered`.
   */
  probe(mark: Uint8Array): void;
  close(code: number, reason: string): void;
}

/**
 * docs/architecture.md "Media plane": "per-socket backpressure (drop stale audio, close a consumer that stays
 * too slow)". Counted in frames, not time, so the behaviour does not depend on the timer's jitter.
 */
export interface BackpressureLimits {
  /** Frames handed to the socket whose write has not completed. */
  maxInFlight: number;
  /** Frames waiting behind those; past this the oldest, the stalest, is dropped. */
  maxQueued: number;
  /** Frames dropped since the queue last ran empty, after which the consumer is closed as too slow. */
  maxDropsBeforeClose: number;
  /**
   * Frames of one track handed to the operating system and not yet read by the client, after which the
   * consumer is closed as too slow. A write completes once the kernel has the frame, and the kernel's
   * buffers (the server's send buffer, the client's receive buffer) hold minutes of audio: a client that
   * stops reading would never fill `maxInFlight`. What the client has read is what it answered to the
   * probes sent among the frames.
   */
  maxUnreadPerTrack: number;
}

/** The frames per track in `ms` of audio. */
export const framesIn = (ms: number) => Math.max(1, Math.round(ms / MEDIA_FRAME_MS));

/**
 * 8 in flight and 16 queued: under half a second of two tracks; 500 drops: about five seconds of them;
 * one second of any track unread.
 */
export const DEFAULT_BACKPRESSURE: BackpressureLimits = { maxInFlight: 8, maxQueued: 16, maxDropsBeforeClose: 500, maxUnreadPerTrack: framesIn(1000) };

/**
 * A probe every so many frames written: a quarter of a second of two tracks. Each probe is a WebSocket
 * frame out and one back, a tenth more traffic at one per ten frames; a client that stopped reading is
 * still found within a second and a quarter.
 */
export const PROBE_EVERY_FRAMES = 25;
const TRACK_COUNT = MEDIA_TRACKS.length;
/** The track code of a frame (`frame.ts`: byte 1); anything else counts as the first track. */
const trackIndexOf = (frame: Uint8Array) => {
  const code = frame[1] ?? 0;
  return code < TRACK_COUNT ? code : 0;
};

/** One listening socket: frames go out at once while it keeps up, wait a little, and are dropped stale. */
export class MediaConsumer {
  private inFlight = 0;
  private readonly queue: Uint8Array[] = [];
  private dropsSinceDrained = 0;
  private closed = false;
  /** Per track: frames handed to the socket, and frames the client has shown it read. */
  private readonly written = new Uint32Array(TRACK_COUNT);
  private readonly read = new Uint32Array(TRACK_COUNT);
  private writtenSinceProbe = 0;
  sent = 0;
  dropped = 0;

  constructor(
    private readonly socket: FrameSocket,
    private readonly limits: BackpressureLimits = DEFAULT_BACKPRESSURE,
    /** Told once, with the reason, when the consumer is closed as too slow. */
    private readonly onTooSlow: (reason: string) => void = () => {},
  ) {}

  get isClosed(): boolean {
    return this.closed;
  }

  /** `framed`: the frame as a whole WebSocket message, when it was built once for every listener (a queued frame goes without it). */
  push(frame: Uint8Array, framed?: Uint8Array): void {
    if (this.closed) return;
    if (this.queue.length === 0 && this.inFlight < this.limits.maxInFlight) return this.write(frame, framed);
    this.queue.push(frame);
    if (this.queue.length <= this.limits.maxQueued) return;
    this.queue.shift();
    this.dropped++;
    if (++this.dropsSinceDrained >= this.limits.maxDropsBeforeClose) this.tooSlow(`too slow: ${this.dropsSinceDrained} frames dropped in a row`);
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    this.socket.close(code, reason);
  }

  /** The client answered a probe: it has read the frames counted in `mark`. A mark that claims more than was written is ignored. */
  answered(mark: Uint8Array): void {
    if (mark.byteLength !== 4 * TRACK_COUNT) return;
    const view = new DataView(mark.buffer, mark.byteOffset, mark.byteLength);
    const seen = new Uint32Array(TRACK_COUNT);
    for (let t = 0; t < TRACK_COUNT; t++) {
      seen[t] = view.getUint32(4 * t, true);
      if (seen[t]! > this.written[t]!) return;
    }
    for (let t = 0; t < TRACK_COUNT; t++) if (seen[t]! > this.read[t]!) this.read[t] = seen[t]!;
  }

  private tooSlow(reason: string): void {
    this.close(MEDIA_CLOSE_CODES.TOO_SLOW, reason);
    this.onTooSlow(reason);
  }

  private write(frame: Uint8Array, framed?: Uint8Array): void {
    const track = trackIndexOf(frame);
    if (this.written[track]! - this.read[track]! >= this.limits.maxUnreadPerTrack) {
      return this.tooSlow(`too slow: ${this.limits.maxUnreadPerTrack * MEDIA_FRAME_MS} ms of ${MEDIA_TRACKS[track]} audio sent and not read`);
    }
    this.written[track]!++;
    this.inFlight++;
    this.sent++;
    this.socket.send(frame, this.afterWrite, framed);
    if (++this.writtenSinceProbe >= PROBE_EVERY_FRAMES) {
      this.writtenSinceProbe = 0;
      const mark = new Uint8Array(4 * TRACK_COUNT);
      const view = new DataView(mark.buffer);
      for (let t = 0; t < TRACK_COUNT; t++) view.setUint32(4 * t, this.written[t]!, true);
      this.socket.probe(mark);
    }
  }

  /** One function for every write's completion, not a closure made per frame. */
  private readonly afterWrite = (err?: Error) => {
    this.inFlight--;
    if (err) {
      // The socket is gone already (closed under us): nothing more to send or to close.
      this.closed = true;
      this.queue.length = 0;
      return;
    }
    this.drain();
  };

  private drain(): void {
    while (!this.closed && this.queue.length > 0 && this.inFlight < this.limits.maxInFlight) this.write(this.queue.shift()!);
    if (this.queue.length === 0) this.dropsSinceDrained = 0;
  }
}
