import { MEDIA_FRAME_MS } from '@earshot/shared';

/**
 * How long a track the platform pushes may go without a frame before silence stands in for the next one:
 * three frames. Shorter gaps are the network's and the timers' jitter, which the listener's own playout
 * buffer absorbs; a filler there would only add a frame of delay once the late frame comes.
 */
export const LATE_AFTER_MS = 3 * MEDIA_FRAME_MS;

/**
 * How far a track may run ahead of the media clock: ten frames, 200 ms. After this server stalls, the
 * frames the platform sent meanwhile arrive at once, and are owed to the listeners (the time has passed):
 * they go on, up to this many; beyond, they are stale and dropped. A longer burst would only hand the
 * listeners old audio (and, were it a second of it, close them as too slow before their answers could be
 * read: `DEFAULT_BACKPRESSURE`).
 */
export const MAX_AHEAD_FRAMES = 10;

/**
 * The pace of one track the platform pushes (a call's customer or agent), as its listeners get it: each
 * frame is forwarded the moment it arrives, numbered here. Time keeps it honest: frames that come at once
 * beyond what the time since the last ones allows (more than `MAX_AHEAD_FRAMES`) are dropped, and a track
 * that stalls gets silence in its place at the media clock's steps (`step`), one frame per step, so a
 * listener hears a gap as silence rather than a stream that stopped. Pure: the caller passes the time.
 *
 * A track that has never had a frame is not late (`live` false): an agent whose voice comes from the
 * desktop agent has no track from the platform, and silence there would compete with the real voice.
 */
export class PlatformTrackPace {
  private nextSeq = 0;
  private lastAt = 0;
  private live: boolean;
  /** Frames that may still go out: one more for every 20 ms that passes, up to `MAX_AHEAD_FRAMES`. */
  private credit = MAX_AHEAD_FRAMES;
  private creditAt: number | null = null;
  /** Silent frames sent in place of late ones, and frames dropped too far ahead of the clock, since the start. */
  fillers = 0;
  dropped = 0;

  constructor(liveFromStart: boolean) {
    this.live = liveFromStart;
  }

  /** The platform (re)starts pushing now: nothing is late before its first frame could come. */
  restart(now: number): void {
    this.lastAt = now;
    this.credit = MAX_AHEAD_FRAMES;
    this.creditAt = null;
  }

  /** A frame arrived at `at`: its sequence number, or null when it is dropped (too far ahead of the clock). */
  arrived(at: number): number | null {
    this.live = true;
    this.lastAt = at;
    this.earn(at, 0);
    if (this.credit < 1) {
      this.dropped++;
      return null;
    }
    this.credit--;
    return this.nextSeq++ >>> 0;
  }

  /**
   * One step of the media clock: the sequence number of a silent frame to send now if the track is late,
   * else null. After one filler the next is due a frame later (never a burst of them after a stall).
   * Each step earns the track a frame at least (the clock's steps are real time even where the time read
   * is not, as in tests that step by hand).
   */
  step(now: number): number | null {
    this.earn(now, 1);
    if (!this.live || now - this.lastAt < LATE_AFTER_MS) return null;
    this.lastAt = now - LATE_AFTER_MS + MEDIA_FRAME_MS;
    this.fillers++;
    return this.nextSeq++ >>> 0;
  }

  /** The frames the time since the last look earned, `atLeast` of them. */
  private earn(now: number, atLeast: number): void {
    const elapsed = this.creditAt === null ? 0 : Math.max(0, now - this.creditAt) / MEDIA_FRAME_MS;
    this.creditAt = now;
    this.credit = Math.min(MAX_AHEAD_FRAMES, this.credit + Math.max(atLeast, elapsed));
  }
}
