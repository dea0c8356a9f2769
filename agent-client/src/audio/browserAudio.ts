import { MEDIA_SAMPLE_RATE } from '@earshot/shared';
import type { AudioDevices } from './audioDevices.js';
import { INSECURE_PAGE } from './microphoneProblem.js';
import workletUrl from './mediaWorklet.ts?worker&url';
import { WorkletMicrophone } from './workletMicrophone.js';
import { WorkletSpeaker } from './workletSpeaker.js';

/** What the microphone is asked for: one voice channel, cleaned up by the browser as for any call. */
const MICROPHONE_CONSTRAINTS: MediaTrackConstraints = { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true };

/**
 * Web Audio and getUserMedia for one call: one AudioContext at the media plane's 8 kHz, so the browser
 * resamples the microphone on the way in and the playout on the way out; both worklet processors live
 * in it. Created on first use and closed with `close`.
 */
export function browserAudioDevices(): AudioDevices {
  let context: AudioContext | null = null;
  let ready: Promise<AudioContext> | null = null;
  const contextReady = () =>
    (ready ??= (async () => {
      context = new AudioContext({ sampleRate: MEDIA_SAMPLE_RATE, latencyHint: 'interactive' });
      await context.audioWorklet.addModule(workletUrl);
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
