import { encodeFrame, MEDIA_FRAME_SAMPLES, type MediaTrack } from '@earshot/shared';
import type { MediaSocketEvents } from '../audioDevices.js';

/**
 * A media socket a test opens, feeds and closes, keeping what the page sent. `wrap` runs each event the
 * page receives (a React test passes testing-library's `act`).
 */
export class ScriptedMediaSocket {
  readonly sent: Uint8Array[] = [];
  isOpen = false;
  closedByPage = false;

  constructor(
    readonly url: string,
    readonly events: MediaSocketEvents,
    private readonly wrap: (deliver: () => void) => void = (deliver) => deliver(),
  ) {}

  open(): void {
    this.wrap(() => {
      this.isOpen = true;
      this.events.open();
    });
  }

  /** The server forwards one frame of a track (samples at a constant level; flags as given). */
  frame(track: MediaTrack, seq: number, flags = 0): void {
    this.wrap(() => this.events.message(encodeFrame({ track, seq, timestamp: 0, flags, samples: new Int16Array(MEDIA_FRAME_SAMPLES).fill(1000) }).buffer));
  }

  serverCloses(code: number, reason = ''): void {
    this.wrap(() => {
      this.isOpen = false;
      this.events.close(code, reason);
    });
  }

  send(frame: Uint8Array): boolean {
    if (!this.isOpen) return false;
    this.sent.push(frame);
    return true;
  }

  close(): void {
    this.closedByPage = true;
    this.isOpen = false;
  }
}
