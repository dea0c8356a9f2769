import {
  MEDIA_FRAME_BYTES,
  MEDIA_FRAME_FLAGS,
  MEDIA_FRAME_HEADER_BYTES,
  MEDIA_FRAME_PAYLOAD_BYTES,
  MEDIA_FRAME_SAMPLES,
  MEDIA_FRAME_VERSION,
  MEDIA_TRACKS,
  type MediaTrack,
} from './constants.js';

/**
 * Encoding and decoding of one media frame (layout in README.md). Plain `DataView` over bytes: the same
 * code runs in Node, Electron, a browser page and an AudioWorklet. Everything is little-endian, like the
 * PCM itself and the WAV files the recorder writes.
 */
export interface MediaFrameHeader {
  track: MediaTrack;
  /** Per sender and track, +1 a frame, wrapping at 2^32. */
  seq: number;
  /** Milliseconds since the epoch: the sender's capture time; the server stamps its own clock when it forwards. */
  timestamp: number;
  /** `MEDIA_FRAME_FLAGS` bits. */
  flags: number;
}

export interface MediaFrame extends MediaFrameHeader {
  /** 160 samples of 16-bit PCM at 8 kHz. */
  samples: Int16Array;
}

export type FrameBytes = ArrayBuffer | ArrayBufferView;

export type HeaderReading = { ok: true; header: MediaFrameHeader } | { ok: false; reason: string };
export type FrameReading = { ok: true; frame: MediaFrame } | { ok: false; reason: string };

const OFFSET = { version: 0, track: 1, flags: 2, reserved: 3, seq: 4, timestamp: 8 } as const;

function viewOf(bytes: FrameBytes): DataView {
  return bytes instanceof ArrayBuffer ? new DataView(bytes) : new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** On a little-endian machine (nearly all), the samples are copied as they lie in memory, not one by one. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function bytesOf(bytes: FrameBytes): Uint8Array {
  return bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function trackCode(track: MediaTrack): number {
  return MEDIA_TRACKS.indexOf(track);
}

/** What a frame is made of when it is encoded. */
export interface FrameToEncode {
  track: MediaTrack;
  seq: number;
  timestamp: number;
  samples: Int16Array;
  flags?: number;
}

/** One frame as bytes. `samples` must hold exactly 160 samples. */
export function encodeFrame(frame: FrameToEncode): Uint8Array {
  return encodeFrameInto(new Uint8Array(MEDIA_FRAME_BYTES), frame);
}

/** The timestamp's eight bytes pass through here: no `DataView` is made per frame. */
const TIMESTAMP = new Float64Array(1);
const TIMESTAMP_BYTES = new Uint8Array(TIMESTAMP.buffer);

function writeTimestamp(bytes: Uint8Array, timestamp: number): void {
  TIMESTAMP[0] = timestamp;
  for (let i = 0; i < 8; i++) bytes[OFFSET.timestamp + i] = TIMESTAMP_BYTES[LITTLE_ENDIAN ? i : 7 - i]!;
}

/**
 * Encodes a frame into `bytes` (at least 336 long, every byte overwritten up to there) and returns it. The
 * server hands it a buffer of Node's pool: a frame is encoded for every frame the platform pushes, and a
 * buffer of its own for each costs more than the rest of the encoding.
 */
export function encodeFrameInto<T extends Uint8Array>(bytes: T, frame: FrameToEncode): T {
  if (frame.samples.length !== MEDIA_FRAME_SAMPLES) {
    throw new RangeError(`A media frame holds ${MEDIA_FRAME_SAMPLES} samples, not ${frame.samples.length}`);
  }
  const seq = frame.seq >>> 0;
  bytes[OFFSET.version] = MEDIA_FRAME_VERSION;
  bytes[OFFSET.track] = trackCode(frame.track);
  bytes[OFFSET.flags] = frame.flags ?? 0;
  bytes[OFFSET.reserved] = 0;
  bytes[OFFSET.seq] = seq & 0xff;
  bytes[OFFSET.seq + 1] = (seq >>> 8) & 0xff;
  bytes[OFFSET.seq + 2] = (seq >>> 16) & 0xff;
  bytes[OFFSET.seq + 3] = seq >>> 24;
  writeTimestamp(bytes, frame.timestamp);
  const { samples } = frame;
  if (LITTLE_ENDIAN) {
    bytes.set(new Uint8Array(samples.buffer, samples.byteOffset, MEDIA_FRAME_PAYLOAD_BYTES), MEDIA_FRAME_HEADER_BYTES);
  } else {
    for (let i = 0, o = MEDIA_FRAME_HEADER_BYTES; i < MEDIA_FRAME_SAMPLES; i++, o += 2) {
      bytes[o] = samples[i]! & 0xff;
      bytes[o + 1] = (samples[i]! >> 8) & 0xff;
    }
  }
  return bytes;
}

/** Checks length, version and track, and reads the header (the samples stay where they are). */
export function readFrameHeader(bytes: FrameBytes): HeaderReading {
  if (bytes.byteLength !== MEDIA_FRAME_BYTES) {
    return { ok: false, reason: `frame: expected ${MEDIA_FRAME_BYTES} bytes, got ${bytes.byteLength}` };
  }
  const view = viewOf(bytes);
  const version = view.getUint8(OFFSET.version);
  if (version !== MEDIA_FRAME_VERSION) return { ok: false, reason: `frame: version ${version} is not ${MEDIA_FRAME_VERSION}` };
  const track = MEDIA_TRACKS[view.getUint8(OFFSET.track)];
  if (track === undefined) return { ok: false, reason: `frame: unknown track code ${view.getUint8(OFFSET.track)}` };
  return {
    ok: true,
    header: { track, seq: view.getUint32(OFFSET.seq, true), timestamp: view.getFloat64(OFFSET.timestamp, true), flags: view.getUint8(OFFSET.flags) },
  };
}

/** The 160 samples of a frame whose header was checked, copied out (the bytes may sit at an odd offset). */
export function frameSamples(bytes: FrameBytes): Int16Array {
  const samples = new Int16Array(MEDIA_FRAME_SAMPLES);
  // Byte by byte: a frame read off a socket may start at an odd offset of its buffer.
  if (LITTLE_ENDIAN) {
    new Uint8Array(samples.buffer).set(bytesOf(bytes).subarray(MEDIA_FRAME_HEADER_BYTES, MEDIA_FRAME_BYTES));
    return samples;
  }
  const view = viewOf(bytes);
  for (let i = 0; i < MEDIA_FRAME_SAMPLES; i++) samples[i] = view.getInt16(MEDIA_FRAME_HEADER_BYTES + 2 * i, true);
  return samples;
}

export function decodeFrame(bytes: FrameBytes): FrameReading {
  const header = readFrameHeader(bytes);
  if (!header.ok) return header;
  return { ok: true, frame: { ...header.header, samples: frameSamples(bytes) } };
}

/** Overwrites the timestamp of a frame in place (the server stamps its clock on every frame it forwards). */
export function stampFrame(bytes: FrameBytes, timestamp: number): void {
  writeTimestamp(bytesOf(bytes), timestamp);
}

/** A copy of the frame's header with the SILENCED flag and all-zero samples. */
export function silencedCopy(bytes: FrameBytes): Uint8Array {
  const copy = new Uint8Array(MEDIA_FRAME_BYTES);
  copy.set(bytesOf(bytes).subarray(0, MEDIA_FRAME_HEADER_BYTES));
  copy[OFFSET.flags] = copy[OFFSET.flags]! | MEDIA_FRAME_FLAGS.SILENCED;
  return copy;
}

export function isSilenced(header: Pick<MediaFrameHeader, 'flags'>): boolean {
  return (header.flags & MEDIA_FRAME_FLAGS.SILENCED) !== 0;
}
