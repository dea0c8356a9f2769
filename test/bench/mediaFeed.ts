/**
 * The media bench's own wire, between the load generator and the process it measures (the Earshot
 * server's bench platform, or the bare relay): the calls' customer and agent frames, sent in one binary
 * message per 20 ms step as a PBX trunk would carry them, and a few JSON messages to set up the calls and
 * read what the target measured. Bench-internal: nothing here is the product's wire.
 *
 * Every frame's samples carry a stamp (the call, the track, a sequence number and the monotonic send time
 * in µs) and a pattern derived from them, so the receiver measures latency exactly and checks the audio
 * arrived intact (a frame replaced by silence, or mixed, fails the check).
 */
import { MEDIA_FRAME_BYTES, MEDIA_FRAME_HEADER_BYTES, MEDIA_FRAME_SAMPLES, MEDIA_TRACKS, type MediaTrack } from '@earshot/shared';
import type { HistogramData } from './latencyHistogram.js';

export const FEED_PATH = '/feed';
export const LISTEN_PATH = '/listen';

/** A frame of the feed: u32 call index, u8 track code, 3 bytes of padding, then the 160 samples. */
export const FEED_FRAME_BYTES = 8 + 2 * MEDIA_FRAME_SAMPLES;
/** A feed message: u32 frame count, then the frames. */
export const FEED_HEADER_BYTES = 4;

/** The stamp takes the first 10 samples (20 bytes); the pattern fills the rest. */
const STAMP_BYTES = 20;

export interface FrameStamp {
  call: number;
  track: MediaTrack;
  seq: number;
  sendUs: number;
}

const patternAt = (call: number, trackCode: number, seq: number, i: number) => ((seq * 131 + call * 17 + trackCode * 7 + i * 3) & 0x7fff) - 0x4000;

/** Writes a stamped frame's 320 sample bytes at `offset` of `view`. */
export function writeStampedSamples(view: DataView, offset: number, stamp: FrameStamp): void {
  const code = MEDIA_TRACKS.indexOf(stamp.track);
  view.setUint32(offset, stamp.call, true);
  view.setUint8(offset + 4, code);
  view.setUint8(offset + 5, 0xb5);
  view.setUint16(offset + 6, 0, true);
  view.setUint32(offset + 8, stamp.seq >>> 0, true);
  // The send time in µs fits a uint32 only for an hour: split it in two halves.
  view.setUint32(offset + 12, Math.floor(stamp.sendUs / 2 ** 32) >>> 0, true);
  view.setUint32(offset + 16, (stamp.sendUs % 2 ** 32) >>> 0, true);
  for (let i = STAMP_BYTES / 2; i < MEDIA_FRAME_SAMPLES; i++) view.setInt16(offset + 2 * i, patternAt(stamp.call, code, stamp.seq, i), true);
}

export type StampReading = { ok: true; stamp: FrameStamp } | { ok: false; reason: string };

/** Reads the stamp of 320 sample bytes at `offset`, and checks every sample of the pattern (`fullCheck`) or a few. */
export function readStampedSamples(view: DataView, offset: number, fullCheck = true): StampReading {
  if (view.getUint8(offset + 5) !== 0xb5) return { ok: false, reason: 'no stamp (silence or mixed audio)' };
  const code = view.getUint8(offset + 4);
  const track = MEDIA_TRACKS[code];
  if (!track) return { ok: false, reason: `track code ${code}` };
  const call = view.getUint32(offset, true);
  const seq = view.getUint32(offset + 8, true);
  const sendUs = view.getUint32(offset + 12, true) * 2 ** 32 + view.getUint32(offset + 16, true);
  const first = STAMP_BYTES / 2;
  const step = fullCheck ? 1 : 37;
  for (let i = first; i < MEDIA_FRAME_SAMPLES; i += step) {
    if (view.getInt16(offset + 2 * i, true) !== patternAt(call, code, seq, i)) return { ok: false, reason: `sample ${i} differs` };
  }
  return { ok: true, stamp: { call, track, seq, sendUs } };
}

/** The stamp of a whole media frame (336 bytes, the product's layout): its samples start after the header. */
export function readFrameStamp(frame: Uint8Array, fullCheck = true): StampReading {
  if (frame.byteLength !== MEDIA_FRAME_BYTES) return { ok: false, reason: `${frame.byteLength} bytes` };
  return readStampedSamples(new DataView(frame.buffer, frame.byteOffset, frame.byteLength), MEDIA_FRAME_HEADER_BYTES, fullCheck);
}

/** One 20 ms step of feed frames, as one message. */
export function encodeFeed(frames: readonly FrameStamp[]): Uint8Array {
  const bytes = new Uint8Array(FEED_HEADER_BYTES + frames.length * FEED_FRAME_BYTES);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, frames.length, true);
  let at = FEED_HEADER_BYTES;
  for (const f of frames) {
    view.setUint32(at, f.call, true);
    view.setUint8(at + 4, MEDIA_TRACKS.indexOf(f.track));
    writeStampedSamples(view, at + 8, f);
    at += FEED_FRAME_BYTES;
  }
  return bytes;
}

/** Each frame of a feed message: its call index, track and the bytes of its samples (a view, not a copy). */
export function* feedFrames(message: Uint8Array): Generator<{ call: number; track: MediaTrack; samples: Uint8Array }> {
  const view = new DataView(message.buffer, message.byteOffset, message.byteLength);
  const count = message.byteLength >= 4 ? view.getUint32(0, true) : 0;
  if (FEED_HEADER_BYTES + count * FEED_FRAME_BYTES !== message.byteLength) throw new Error(`feed message of ${message.byteLength} bytes for ${count} frames`);
  for (let k = 0, at = FEED_HEADER_BYTES; k < count; k++, at += FEED_FRAME_BYTES) {
    const track = MEDIA_TRACKS[view.getUint8(at + 4)];
    if (!track) throw new Error(`feed frame of track ${view.getUint8(at + 4)}`);
    yield { call: view.getUint32(at, true), track, samples: message.subarray(at + 8, at + FEED_FRAME_BYTES) };
  }
}

/**
 * The samples of a feed frame as the platform boundary takes them: a view of the message where its bytes
 * lie at an even offset, as a PBX's decoder hands over the buffer it decoded into, else a copy.
 */
export function samplesOf(bytes: Uint8Array): Int16Array {
  if (bytes.byteOffset % 2 === 0) return new Int16Array(bytes.buffer, bytes.byteOffset, MEDIA_FRAME_SAMPLES);
  const out = new Int16Array(MEDIA_FRAME_SAMPLES);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

/** A call of the bench, as the load generator names it to the target. */
export interface FeedCall {
  index: number;
  callId: string;
  /** The agent's endpoint (their username): the platform reports the call on it. */
  endpoint: string;
}

/** What the target measured on its side: the supervisors' voices coming back (coach), and its event loop. */
export interface TargetMediaStats {
  /** Supervisor frame (sent by the load generator) → the platform's `supervisorAudio` (Earshot) or the relay's receipt. */
  coachBack: HistogramData;
  coachBackFrames: number;
  coachBackBroken: number;
  /** The measured process's event loop delay over the window (ms). */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  /** Earshot: the media plane's counters (late and dropped platform frames, listeners, recordings). */
  media: CounterTree;
  /** Earshot: how much each of those counters grew over the measured window (the process's totals include the set-up). */
  mediaInWindow: CounterTree;
}

/** Counters by name, some of them grouped (`frames.supervisor.routed`). */
export interface CounterTree {
  [name: string]: number | CounterTree;
}

/** Each counter of `after` less its value in `before` (a group as a group; a counter `before` lacks, whole). */
export function counterGrowth(after: CounterTree, before: CounterTree): CounterTree {
  const grown: CounterTree = {};
  for (const [k, v] of Object.entries(after)) {
    const was = before[k];
    grown[k] = typeof v === 'number' ? v - (typeof was === 'number' ? was : 0) : counterGrowth(v, typeof was === 'object' ? was : {});
  }
  return grown;
}

/** Each counter under its dotted name, in the tree's order. */
export function flatCounters(tree: CounterTree, prefix = ''): [string, number][] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'number' ? [[`${prefix}${k}`, v] as [string, number]] : flatCounters(v, `${prefix}${k}.`)));
}

export type FeedRequest = { type: 'calls'; calls: FeedCall[] } | { type: 'window'; fromUs: number; toUs: number } | { type: 'stats' };

export type FeedReply = { type: 'calls'; ready: number; errors: string[] } | { type: 'window' } | { type: 'stats'; stats: TargetMediaStats };
