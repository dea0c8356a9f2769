import type { Call } from '@earshot/shared';
import type { CallAudio, MediaAccess } from '../sdk/callAudio.js';
import { browserAudioDevices, LiveCallAudio, openBrowserSocket, type AudioDevices, type SocketFactory } from '@earshot/media-client';

export interface BrowserCallAudioOptions {
  /** Web Audio and getUserMedia by default; one set per call. */
  devices?: () => AudioDevices;
  /**
   * Where the audio worklet (`media-worklet.js`, shipped in this package's `dist/`) is served, for a host
   * whose bundler does not copy it beside the bundle by itself (esbuild, the one-script build). Ignored
   * with `devices`.
   */
  workletUrl?: string | URL;
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
      devices: this.options.devices ? this.options.devices() : browserAudioDevices({ workletUrl: this.options.workletUrl }),
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
