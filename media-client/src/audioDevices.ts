import type { MediaTrack } from '@earshot/shared';
import type { PlayoutStats } from './playoutMixer.js';

/**
 * What a call's audio needs of the machine it runs on: somewhere to play the tracks it receives, and a
 * microphone. The browser's are Web Audio (`browserAudioDevices`); tests give fakes, so the logic that
 * drives them (`LiveCallAudio`) runs in Node.
 */
export interface AudioDevices {
  openSpeaker(): Promise<Speaker>;
  /** Rejects with getUserMedia's error (a DOMException: NotAllowedError when the user or policy refuses). */
  openMicrophone(onBlock: (block: Float32Array) => void): Promise<Microphone>;
  /** Releases everything opened (the AudioContext). */
  close(): void;
}

export interface Speaker {
  /** One received frame of a track, to mix and play in turn. */
  play(track: MediaTrack, seq: number, samples: Int16Array): void;
  setVolume(volume: number): void;
  /** The playout's latest report: frames played per track and the level of what went out. */
  readonly stats: PlayoutStats | null;
  /** The browser holds the audio back until the user interacts with the page (autoplay policy). */
  readonly blocked: boolean;
  resume(): Promise<void>;
  close(): void;
}

export interface Microphone {
  /** Stops capturing and releases the device (the browser's recording indicator goes off). */
  close(): void;
}

/** A media socket as the audio uses it; `openBrowserSocket` wraps the browser's WebSocket. */
export interface MediaSocketEvents {
  open(): void;
  message(data: unknown): void;
  close(code: number, reason: string): void;
}

export interface MediaSocket {
  /** False when not sent: not open, or the network is already behind (stale audio is not queued). */
  send(frame: Uint8Array): boolean;
  /** Closes without telling `close`: the caller asked for it. */
  close(): void;
}

export type SocketFactory = (url: string, events: MediaSocketEvents) => MediaSocket;
