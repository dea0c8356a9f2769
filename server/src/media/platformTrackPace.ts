import { MEDIA_FRAME_MS } from '@earshot/shared';

/**
 * How long a track the platform pushes may go without a frame before silence stands in for the next one:
 * three frames. Shorter gaps are the network's and the timers' jitter, which the listener's own playout
 * buffer absorbs; a filler there would only add a frame of delay once the late frame comes.
 */
export const LATE_AFTER_MS = 3 * MEDIA_FRAME_MS;

/**
 * How far a track may run ahead of the media clock: five frames, 100 ms, more than a network's usual
 * jitter and less than a delay a listener notices in a conversation. After this server stalls, the frames
 * the platform sent meanwhile arrive at once: this many go on, the rest are stale and dropped. Forwarding
 * them all would only hand the listeners a burst of old audio (and, were it a second of it, close them as
 * too slow before their answers could be read).
 */
export const MAX_AHEAD_FRAMES = 5;

/**
 * A frame that arrives after the media clock's step is overdue is not ahead of the clock: this process
 * stalled (a collection, a busy machine), and the clock's step waits behind the sockets' reads. So the time
 * since the last step counts as the clock's, up to five frames more (a stall of 100 ms beyond the
 * allowance above): frames the platform sent on time through a stall that short reach the listeners, whose
 * playout buffers trim what came together, and the recording. Longer stalls still lose their oldest frames.
 */
export const MAX_OWED_FRAMES = 5;

/**
 * The pace of one track the platform pushes (a call's customer or agent), as its listeners get it: each
 * frame is forwarded the moment it arrives, numbered here. The media clock's steps (`step`) keep it honest:
 * a track that runs more than `MAX_AHEAD_FRAMES` ahead of them (the time since a step that is overdue
 * counting as theirs, `MAX_OWED_FRAMES`) loses its excess frames, and a track that
 * stalls gets silence in its place, one frame per step, so a listener hears a gap as silence rather than a
 * stream that stopped. Pure: the caller passes the time.
 *
 * A track that has never had a frame is not late (`live` false): an agent whose voice comes from the
 * desktop agent has no track from the platform, and silence there would compete with the real voice.
 */
export class PlatformTrackPace {
  private nextSeq = 0;
  private lastAt = 0;
  private live: boolean;
  /** Frames that may still go out before the clock's next step. */
  private credit = MAX_AHEAD_FRAMES;
  private lastStepAt: number | null = null;
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
    this.lastStepAt = null;
  }

  /** A frame arrived at `at`: its sequence number, or null when it is dropped (too far ahead of the clock). */
  arrived(at: number): number | null {
    this.live = true;
    this.lastAt = at;
    // The overdue time is read only once the credit is spent: most frames arrive with credit to spare.
    if (this.credit < 1 && this.credit + this.owedAt(at) < 1) {
      this.dropped++;
      return null;
    }
    this.credit--;
    return this.nextSeq++ >>> 0;
  }

  /** The frames the clock owes by `at` since its last step (`MAX_OWED_FRAMES` at most). */
  private owedAt(at: number): number {
    return this.lastStepAt === null ? 0 : Math.min(MAX_OWED_FRAMES, (at - this.lastStepAt) / MEDIA_FRAME_MS);
  }

  /**
   * One step of the media clock: the sequence number of a silent frame to send now if the track is late,
   * else null. After one filler the next is due a frame later (never a burst of them after a stall).
   * The time since the last step counts, not the steps: a clock that skipped steps while this process
   * stalled owes the track the frames of that time too.
   */
  step(now: number): number | null {
    const elapsed = this.lastStepAt === null ? 0 : (now - this.lastStepAt) / MEDIA_FRAME_MS;
    this.lastStepAt = now;
    this.credit = Math.min(MAX_AHEAD_FRAMES, this.credit + Math.max(1, elapsed));
    if (!this.live || now - this.lastAt < LATE_AFTER_MS) return null;
    this.lastAt = now - LATE_AFTER_MS + MEDIA_FRAME_MS;
    this.fillers++;
    return this.nextSeq++ >>> 0;
  }
}
