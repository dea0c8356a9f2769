import { MEDIA_FRAME_MS, MEDIA_FRAME_SAMPLES, type MediaTrack, type PausedSpan } from '@earshot/shared';
import { JitterBuffer } from './jitterBuffer.js';
import { RECORDING_CHANNELS, type WavFileWriter } from './wavFile.js';

const SLOT_BYTES = MEDIA_FRAME_SAMPLES * RECORDING_CHANNELS * 2;
/** Slots gathered before one write: a second of audio. */
export const SLOTS_PER_WRITE = 50;
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

/**
 * A slot is laid out as 32-bit words, one per stereo sample (left in the low half on a little-endian machine,
 * as WAV wants it): one store per sample instead of two. On the rare big-endian machine the halves are
 * swapped here and the bytes of each sample at the write.
 */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const LEFT_SHIFT = LITTLE_ENDIAN ? 0 : 16;
const RIGHT_SHIFT = 16 - LEFT_SHIFT;

const clip = (v: number) => (v > 32767 ? 32767 : v < -32768 ? -32768 : v);

/** One slot of stereo words from `at`: the customer's frame on the left, the right channel's on the right (each may be silence). */
function laySlot(words: Uint32Array, at: number, left: Int16Array | null, right: Int16Array | null): void {
  if (left && right) for (let i = 0; i < MEDIA_FRAME_SAMPLES; i++) words[at + i] = ((left[i]! & 0xffff) << LEFT_SHIFT) | ((right[i]! & 0xffff) << RIGHT_SHIFT);
  else if (left) for (let i = 0; i < MEDIA_FRAME_SAMPLES; i++) words[at + i] = (left[i]! & 0xffff) << LEFT_SHIFT;
  else if (right) for (let i = 0; i < MEDIA_FRAME_SAMPLES; i++) words[at + i] = (right[i]! & 0xffff) << RIGHT_SHIFT;
  else words.fill(0, at, at + MEDIA_FRAME_SAMPLES);
}

/** The agent's and a supervisor's frames on the one right channel, clipped. */
function mixed(agent: Int16Array, supervisor: Int16Array, into: Int16Array): Int16Array {
  for (let i = 0; i < MEDIA_FRAME_SAMPLES; i++) into[i] = clip(agent[i]! + supervisor[i]!);
  return into;
}

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
  /** The stereo words of the slots not yet written, one per sample; a new chunk after each write (the file keeps the old one until written). */
  private chunk = new Uint32Array(SLOTS_PER_WRITE * MEDIA_FRAME_SAMPLES);
  /** A chunk the file has written and handed back, to be filled again. */
  private spare: Uint32Array<ArrayBuffer> | null = null;
  private chunkSlots = 0;
  /** Slots gathered before the next write: fewer for the first one when the recorder was told to stagger. */
  private slotsThisWrite: number;
  private slots = 0;
  private readonly spans: PausedSpan[] = [];
  private openSpan: PausedSpan | null = null;
  private readonly mix = new Int16Array(MEDIA_FRAME_SAMPLES);

  constructor(
    private readonly writer: Pick<WavFileWriter, 'append' | 'close'>,
    /** Told at every pause and resume, so that the spans are stored before the call ends. */
    private readonly onPausedSpansChanged: (spans: PausedSpan[]) => void,
    /**
     * Slots before the first write (1 to 50). Calls that start together would otherwise all write in the
     * same step, a second of every recording at once; the media plane spreads them over the second.
     */
    firstWriteSlots = SLOTS_PER_WRITE,
  ) {
    this.slotsThisWrite = Math.min(SLOTS_PER_WRITE, Math.max(1, Math.floor(firstWriteSlots)));
  }

  /** A frame routed to the recording now (`at`: when it arrived): the customer's on the left, the others' on the right. */
  accept(track: MediaTrack, samples: Int16Array, at: number): void {
    if (track === 'customer') return this.customer.push(samples, at);
    const queue = track === 'agent' ? this.waiting.agent : this.waiting.supervisor;
    queue.push(samples);
    if (queue.length > MAX_WAITING_FRAMES) queue.shift();
  }

  /** One 20 ms slot, at `now`. `paused`: the recording is paused for PCI, and the slot is silence on both channels. */
  slot(paused: boolean, now: number): void {
    const at = this.chunkSlots * MEDIA_FRAME_SAMPLES;
    const customer = this.customer.pull(now);
    if (paused) {
      this.waiting.agent.length = 0;
      this.waiting.supervisor.length = 0;
      laySlot(this.chunk, at, null, null);
      this.pauseStarts();
    } else {
      this.pauseEnds();
      const agent = this.waiting.agent.shift();
      const supervisor = this.waiting.supervisor.shift();
      const right = agent && supervisor ? mixed(agent, supervisor, this.mix) : (agent ?? supervisor ?? null);
      laySlot(this.chunk, at, customer, right);
    }
    this.slots++;
    if (++this.chunkSlots === this.slotsThisWrite) this.flush();
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
    const written = this.chunk;
    const bytes = Buffer.from(written.buffer, 0, this.chunkSlots * SLOT_BYTES);
    if (!LITTLE_ENDIAN) bytes.swap16();
    this.writer.append(bytes, () => {
      this.spare = written;
    });
    // The chunk the file released, if it has: a second of audio is not allocated anew for every call every second.
    this.chunk = this.spare ?? new Uint32Array(SLOTS_PER_WRITE * MEDIA_FRAME_SAMPLES);
    this.spare = null;
    this.chunkSlots = 0;
    this.slotsThisWrite = SLOTS_PER_WRITE;
  }
}
