import { MEDIA_SAMPLE_RATE } from '@earshot/shared';
import type { AudioDevices } from './audioDevices.js';
import { INSECURE_PAGE } from './microphoneProblem.js';
import { WorkletMicrophone } from './workletMicrophone.js';
import { WorkletSpeaker } from './workletSpeaker.js';

/** What the microphone is asked for: one voice channel, cleaned up by the browser as for any call. */
const MICROPHONE_CONSTRAINTS: MediaTrackConstraints = { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true };

export interface BrowserAudioOptions {
  /**
   * Where the page loads the audio worklet (`media-worklet.js`, shipped beside this package's code) from.
   * By default it is found beside the bundle, which Vite, webpack 5, Rollup and Parcel arrange by copying
   * it with the bundle; a host whose bundler does not (esbuild), or that serves it elsewhere, copies the
   * file to its static files and names it here.
   */
  workletUrl?: string | URL;
}

/**
 * The worklet file beside the bundle. The literal `new URL(…, import.meta.url)` is what bundlers
 * recognize as an asset to copy; it stays in this function so a host that passes `workletUrl` never needs it.
 */
function bundledWorkletUrl(): URL {
  return new URL('./media-worklet.js', import.meta.url);
}

/**
 * Web Audio and getUserMedia for one call: one AudioContext at the media plane's 8 kHz, so the browser
 * resamples the microphone on the way in and the playout on the way out; both worklet processors live
 * in it. Created on first use and closed with `close`.
 */
export function browserAudioDevices(options: BrowserAudioOptions = {}): AudioDevices {
  let context: AudioContext | null = null;
  let ready: Promise<AudioContext> | null = null;
  const contextReady = () =>
    (ready ??= (async () => {
      context = new AudioContext({ sampleRate: MEDIA_SAMPLE_RATE, latencyHint: 'interactive' });
      await context.audioWorklet.addModule(String(options.workletUrl ?? bundledWorkletUrl()));
      return context;
    })());

  return {
    async openSpeaker() {
      return new WorkletSpeaker(await contextReady());
    },
    async openMicrophone(onBlock) {
      // Browsers offer getUserMedia to secure pages only (https, or localhost).
      if (!navigator.mediaDevices?.getUserMedia) throw new DOMException('getUserMedia is not available on this page', INSECURE_PAGE);
      const stream = await navigator.mediaDevices.getUserMedia({ audio: MICROPHONE_CONSTRAINTS });
      try {
        return new WorkletMicrophone(await contextReady(), stream, onBlock);
      } catch (e) {
        for (const track of stream.getTracks()) track.stop();
        throw e;
      }
    },
    close() {
      if (context && context.state !== 'closed') void context.close();
    },
  };
}
