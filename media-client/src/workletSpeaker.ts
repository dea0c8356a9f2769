import { MEDIA_FRAME_SAMPLES, pcm16ToFloat, type MediaTrack } from '@earshot/shared';
import type { Speaker } from './audioDevices.js';
import type { PlayoutStats } from './playoutMixer.js';
import { PLAYOUT_PROCESSOR, type FromPlayout, type PlayoutProcessorOptions, type ToPlayout } from './workletMessages.js';

/**
 * The playout's jitter buffer: 3 frames (60 ms) of cushion, at most 8 (160 ms) before the oldest go. The
 * server's clock and the sound card's drift apart slowly; this keeps the delay small either way.
 */
export const PLAYOUT_BUFFER = { targetFrames: 3, maxFrames: 8 } as const;

/** Stats every 6 render quanta of 128 samples: about 100 ms at 8 kHz. */
const STATS_EVERY_QUANTA = 6;

/** The speaker on Web Audio: the playout processor, straight to the context's destination. */
export class WorkletSpeaker implements Speaker {
  private readonly node: AudioWorkletNode;
  private latest: PlayoutStats | null = null;

  constructor(private readonly context: AudioContext) {
    const processorOptions: PlayoutProcessorOptions = { frameSamples: MEDIA_FRAME_SAMPLES, ...PLAYOUT_BUFFER, statsEveryQuanta: STATS_EVERY_QUANTA };
    this.node = new AudioWorkletNode(context, PLAYOUT_PROCESSOR, { numberOfInputs: 0, numberOfOutputs: 1, outputChannelCount: [1], processorOptions });
    this.node.port.onmessage = (e: MessageEvent<FromPlayout>) => {
      if (e.data.type === 'stats') this.latest = e.data.stats;
    };
    this.node.connect(context.destination);
  }

  get stats(): PlayoutStats | null {
    return this.latest;
  }

  get blocked(): boolean {
    return this.context.state === 'suspended';
  }

  play(track: MediaTrack, seq: number, samples: Int16Array): void {
    const floats = pcm16ToFloat(samples);
    this.post({ type: 'frame', track, seq, samples: floats }, [floats.buffer]);
  }

  setVolume(volume: number): void {
    this.post({ type: 'volume', volume });
  }

  resume(): Promise<void> {
    return this.context.resume();
  }

  close(): void {
    this.node.port.onmessage = null;
    this.node.disconnect();
  }

  private post(message: ToPlayout, transfer: Transferable[] = []): void {
    this.node.port.postMessage(message, transfer);
  }
}
