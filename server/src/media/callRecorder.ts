import { MEDIA_FRAME_MS, MEDIA_FRAME_SAMPLES, type MediaTrack, type PausedSpan } from '@earshot/shared';
import { JitterBuffer } from './jitterBuffer.js';
import { RECORDING_CHANNELS, type WavFileWriter } from './wavFile.js';

const SLOT_BYTES = MEDIA_FRAME_SAMPLES * RECORDING_CHANNELS * 2;
/** Slots gathered before one write: a second of audio. */
const SLOTS_PER_WRITE = 50;
/**
 * Frames of the right channel wait here for the customer's next frame, which clocks the file. A second of
 * them at most: a sender faster than real time cannot grow the file, it only loses its oldest frames.
 */
const MAX_WAITING_FRAMES = 50;

export type RightChannelTrack = Exclude<MediaTrack, 'customer'>;

export interface FinishedRecording {
  durationMs: number;
  bytes: number;
  pausedSpans: PausedSpan[];
}

/** WAV samples are little-endian; the chunk is filled in the machine's order and swapped on the rare machine that differs. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const SLOT_SAMPLES = MEDIA_FRAME_SAMPLES * RECORDING_CHANNELS;

/** One channel of a slot, every other sample from `at`: the frame's samples, or silence. */
function layChannel(chunk: Int16Array, at: number, samples: Int16Array | null): void {
  if (samples) for (let i = 0, o = at; i < MEDIA_FRAME_SAMPLES; i++, o += 2) chunk[o] = samples[i]!;
  else for (let i = 0, o = at; i < MEDIA_FRAME_SAMPLES; i++, o += 2) chunk[o] = 0;
}

const clip = (v: number) => (v > 32767 ? 32767 : v < -32768 ? -32768 : v);

/**
 * The stereo WAV of one call (docs/architecture.md "Media plane": "customer on the left; agent (and barging or
 * taking-over supervisor) on the right"). Which frames reach the right channel is the router's decision
 * (`recordedChannels`); this class lays them out in time. The frames wait here as they are routed; the media
 * clock's steps are the file's 20 ms slots, each taking the customer's next frame (silence when none came)
 * and mixing the right channel's next waiting frames in. The listeners never wait for it: they were sent
 * each frame when it was routed, and the file is written a second at a time, off the clock.
 */
export class CallRecorder {
  private readonly customer = new JitterBuffer();
  private readonly waiting: Record<RightChannelTrack, Int16Array[]> = { agent: [], supervisor: [] };
  /** The interleaved samples (left, right, left, ...) of the slots not yet written. */
  private chunk = new Int16Array(SLOTS_PER_WRITE * SLOT_SAMPLES);
  private chunkSlots = 0;
  private slots = 0;
  private readonly spans: PausedSpan[] = [];
  private openSpan: PausedSpan | null = null;

  constructor(
    private readonly writer: WavFileWriter,
    /** Told at every pause and resume, so that the spans are stored before the call ends. */
    private readonly onPausedSpansChanged: (spans: PausedSpan[]) => void,
  ) {}

  /** A frame routed to the recording now (`at`: when it arrived): the customer's on the left, the others' on the right. */
  accept(track: MediaTrack, samples: Int16Array, at: number): void {
    if (track === 'customer') return this.customer.push(samples, at);
    const queue = this.waiting[track];
    queue.push(samples);
    if (queue.length > MAX_WAITING_FRAMES) queue.shift();
  }

  /** One 20 ms slot, at `now`. `paused`: the recording is paused for PCI, and the slot is silence on both channels. */
  slot(paused: boolean, now: number): void {
    const chunk = this.chunk;
    const base = this.chunkSlots * SLOT_SAMPLES;
    const customer = this.customer.pull(now);
    if (paused) {
      this.waiting.agent.length = 0;
      this.waiting.supervisor.length = 0;
      chunk.fill(0, base, base + SLOT_SAMPLES);
      this.pauseStarts();
    } else {
      this.pauseEnds();
      const agent = this.waiting.agent.shift();
      const supervisor = this.waiting.supervisor.shift();
      // One loop per channel and case: this runs for every call recorded, 50 times a second.
      layChannel(chunk, base, customer ?? null);
      if (agent && supervisor) {
        for (let i = 0, o = base + 1; i < MEDIA_FRAME_SAMPLES; i++, o += 2) chunk[o] = clip(agent[i]! + supervisor[i]!);
      } else layChannel(chunk, base + 1, agent ?? supervisor ?? null);
    }
    this.slots++;
    if (++this.chunkSlots === SLOTS_PER_WRITE) this.flush();
  }

  /** Writes the rest, closes the file; a pause still going on ends with the recording. */
  async finish(): Promise<FinishedRecording> {
    this.pauseEnds();
    this.flush();
    const bytes = await this.writer.close();
    return { durationMs: this.slots * MEDIA_FRAME_MS, bytes, pausedSpans: this.spans.map((s) => ({ ...s })) };
  }

  /** The pauses within the first `durationMs` (what reached the file of a recording that failed), each one closed. */
  pausedSpansWithin(durationMs: number): PausedSpan[] {
    return this.spans.filter((s) => s.fromMs < durationMs).map((s) => ({ fromMs: s.fromMs, toMs: Math.min(s.toMs ?? durationMs, durationMs) }));
  }

  private pauseStarts(): void {
    if (this.openSpan) return;
    this.openSpan = { fromMs: this.slots * MEDIA_FRAME_MS, toMs: null };
    this.spans.push(this.openSpan);
    this.onPausedSpansChanged(this.spans.map((s) => ({ ...s })));
  }

  private pauseEnds(): void {
    if (!this.openSpan) return;
    this.openSpan.toMs = this.slots * MEDIA_FRAME_MS;
    this.openSpan = null;
    this.onPausedSpansChanged(this.spans.map((s) => ({ ...s })));
  }

  private flush(): void {
    if (this.chunkSlots === 0) return;
    const bytes = Buffer.from(this.chunk.buffer, 0, this.chunkSlots * SLOT_BYTES);
    if (!LITTLE_ENDIAN) bytes.swap16();
    this.writer.append(bytes);
    this.chunk = new Int16Array(SLOTS_PER_WRITE * SLOT_SAMPLES);
    this.chunkSlots = 0;
  }
}
