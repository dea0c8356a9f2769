import { FrameAssembler, floatToPcm16, type MediaTrack } from '@earshot/shared';
import { LevelMeter } from './levelMeter.js';

/**
 * The microphone's side of the media plane, between the capture worklet and the socket: blocks of 8 kHz
 * floats in (128 at a time from an AudioWorklet), encoded 20 ms frames of the listener's own track out.
 * Muted means nothing is sent at all (not frames of silence); the level is still read, so the page can
 * show that the microphone works while it is muted.
 */
export class MicFrames {
  private assembler: FrameAssembler | null = null;
  private mutedNow = false;
  private readonly meter = new LevelMeter();

  constructor(
    private readonly track: MediaTrack,
    private readonly now: () => number = Date.now,
  ) {}

  get muted(): boolean {
    return this.mutedNow;
  }

  setMuted(muted: boolean): void {
    this.mutedNow = muted;
  }

  /** The frames this block completes: none while muted. */
  push(block: Float32Array): Uint8Array[] {
    this.meter.add(block);
    if (this.mutedNow) return [];
    // One numbering for the whole call, across mutes and reconnections: the sequence only goes up, so a
    // listener's jitter buffer sees a pause, never a restart. The timestamps start at the first sound
    // sent; the server stamps its own clock on every frame it forwards anyway.
    this.assembler ??= new FrameAssembler(this.track, this.now());
    return this.assembler.push(floatToPcm16(block));
  }

  /** RMS of the microphone since the last call, muted or not. */
  takeLevel(): number {
    return this.meter.take();
  }
}
