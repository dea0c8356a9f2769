/**
 * The AudioWorklet module of the call audio (loaded with `audioWorklet.addModule`): the playout, which
 * mixes the received tracks on the sound card's own clock, and the capture, which hands the microphone's
 * blocks to the page. It imports only pure modules, so the bundle holds no wire schemas.
 */
import { PlayoutMixer } from './playoutMixer.js';
import { CAPTURE_PROCESSOR, PLAYOUT_PROCESSOR, type FromCapture, type FromPlayout, type PlayoutProcessorOptions, type ToPlayout } from './workletMessages.js';

// The AudioWorkletGlobalScope, which TypeScript's DOM library does not describe.
declare abstract class AudioWorkletProcessor {
  readonly port: MessagePort;
  constructor(options?: AudioWorkletNodeOptions);
}
declare function registerProcessor(name: string, processor: new (options: AudioWorkletNodeOptions) => AudioWorkletProcessor): void;

class PlayoutProcessor extends AudioWorkletProcessor {
  private readonly mixer: PlayoutMixer;
  private readonly statsEvery: number;
  private quanta = 0;

  constructor(options: AudioWorkletNodeOptions) {
    super(options);
    const o = options.processorOptions as PlayoutProcessorOptions;
    this.mixer = new PlayoutMixer(o);
    this.statsEvery = o.statsEveryQuanta;
    this.port.onmessage = (e: MessageEvent<ToPlayout>) => {
      const m = e.data;
      if (m.type === 'frame') this.mixer.push(m.track, m.seq, m.samples);
      else this.mixer.setVolume(m.volume);
    };
  }

  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const channels = outputs[0];
    if (channels?.[0]) {
      this.mixer.render(channels[0]);
      for (let c = 1; c < channels.length; c++) channels[c]!.set(channels[0]);
    }
    if (++this.quanta % this.statsEvery === 0) this.port.postMessage({ type: 'stats', stats: this.mixer.takeStats() } satisfies FromPlayout);
    return true;
  }
}

class CaptureProcessor extends AudioWorkletProcessor {
  process(inputs: Float32Array[][]): boolean {
    const channel = inputs[0]?.[0];
    // No input yet (the microphone is still starting): nothing to send.
    if (channel && channel.length > 0) {
      const samples = channel.slice();
      this.port.postMessage({ type: 'block', samples } satisfies FromCapture, [samples.buffer]);
    }
    return true;
  }
}

registerProcessor(PLAYOUT_PROCESSOR, PlayoutProcessor);
registerProcessor(CAPTURE_PROCESSOR, CaptureProcessor);
