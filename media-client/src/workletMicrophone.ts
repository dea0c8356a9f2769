import type { Microphone } from './audioDevices.js';
import { CAPTURE_PROCESSOR, type FromCapture } from './workletMessages.js';

/**
 * The microphone on Web Audio: the stream into the capture processor, resampled to the context's 8 kHz
 * and mixed down to mono on the way. The processor's output goes through a muted gain to the destination:
 * a node nothing pulls on is not processed.
 */
export class WorkletMicrophone implements Microphone {
  private readonly source: MediaStreamAudioSourceNode;
  private readonly node: AudioWorkletNode;
  private readonly sink: GainNode;

  constructor(
    context: AudioContext,
    private readonly stream: MediaStream,
    onBlock: (block: Float32Array) => void,
  ) {
    this.source = context.createMediaStreamSource(stream);
    this.node = new AudioWorkletNode(context, CAPTURE_PROCESSOR, {
      numberOfInputs: 1,
      numberOfOutputs: 1,
      outputChannelCount: [1],
      channelCount: 1,
      channelCountMode: 'explicit',
      channelInterpretation: 'speakers',
    });
    this.node.port.onmessage = (e: MessageEvent<FromCapture>) => {
      if (e.data.type === 'block') onBlock(e.data.samples);
    };
    this.sink = context.createGain();
    this.sink.gain.value = 0;
    this.source.connect(this.node).connect(this.sink).connect(context.destination);
  }

  close(): void {
    this.node.port.onmessage = null;
    this.source.disconnect();
    this.node.disconnect();
    this.sink.disconnect();
    for (const track of this.stream.getTracks()) track.stop();
  }
}
