import type { PlatformAgentEvent, PlatformHost, PlatformQueueEvent, PlatformTrack } from '../../server/src/telephony/platform.js';
import { tonesIn } from './goertzel.js';

/** A host that keeps what the platform reports. */
export class RecordingHost implements PlatformHost {
  readonly events: PlatformAgentEvent[] = [];
  readonly queueEvents: PlatformQueueEvent[] = [];
  readonly frames: { callId: string; track: PlatformTrack; frame: Int16Array }[] = [];
  agent(e: PlatformAgentEvent) {
    this.events.push(e);
  }
  queue(e: PlatformQueueEvent) {
    this.queueEvents.push(e);
  }
  audio(callId: string, track: PlatformTrack, frame: Int16Array) {
    this.frames.push({ callId, track, frame });
  }
  agentAt() {
    return undefined;
  }
  agents() {
    return [];
  }
  availableLongestFirst() {
    return [];
  }
  takenOverCallIds() {
    return new Set<string>();
  }
  /** The tones in the last `n` frames of a track (each must hold them). */
  tonesOf(track: PlatformTrack, n = 10) {
    const frames = this.frames.filter((f) => f.track === track).slice(-n);
    return frames.length < n ? null : [...new Set(frames.flatMap((f) => tonesIn(f.frame)))].sort();
  }
}
