import type { Call } from '@earshot/shared';
import type { CallAudio, MediaAccess } from '../sdk/callAudio.js';
import type { AudioDevices, SocketFactory } from './audioDevices.js';
import { browserAudioDevices } from './browserAudio.js';
import { openBrowserSocket } from './browserSocket.js';
import { LiveCallAudio } from './liveCallAudio.js';

export interface BrowserCallAudioOptions {
  /** Web Audio and getUserMedia by default; one set per call. */
  devices?: () => AudioDevices;
  openSocket?: SocketFactory;
}

/**
 * The SDK's `CallAudio` in a browser (or an Electron renderer): when the agent's call connects, the
 * microphone streams as the `agent` track and the customer (and a coaching or barging supervisor) play;
 * when it ends, everything stops. Pass it as `audio` to `createAgentClient`; the page shows and controls
 * the call's audio through `getCurrent()` (mute, levels), observed with `subscribe`.
 */
export class BrowserCallAudio implements CallAudio {
  private current: { callId: string; audio: LiveCallAudio } | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly options: BrowserCallAudioOptions = {}) {}

  callConnected(call: Call, media: MediaAccess): void {
    this.current?.audio.close();
    const audio = new LiveCallAudio({
      serverUrl: media.url,
      mediaToken: () => media.mediaToken(),
      sends: 'agent',
      sendMicrophone: true,
      devices: (this.options.devices ?? browserAudioDevices)(),
      openSocket: this.options.openSocket ?? openBrowserSocket,
    });
    this.current = { callId: call.callId, audio };
    audio.start();
    this.changed();
  }

  callEnded(callId: string): void {
    if (this.current?.callId !== callId) return;
    this.current.audio.close();
    this.current = null;
    this.changed();
  }

  /** The audio of the connected call; null between calls. */
  readonly getCurrent = (): LiveCallAudio | null => this.current?.audio ?? null;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
