import { z } from 'zod';

/**
 * The media plane's fixed format (docs/architecture.md "Media plane"): 8 kHz mono 16-bit PCM in 20 ms frames
 * of 160 samples, each tagged with its track, a sequence number and a timestamp. See README.md here for
 * the byte layout.
 */
export const MEDIA_SAMPLE_RATE = 8000;
export const MEDIA_FRAME_MS = 20;
export const MEDIA_FRAME_SAMPLES = (MEDIA_SAMPLE_RATE * MEDIA_FRAME_MS) / 1000;
export const MEDIA_BYTES_PER_SAMPLE = 2;
export const MEDIA_FRAME_HEADER_BYTES = 16;
export const MEDIA_FRAME_PAYLOAD_BYTES = MEDIA_FRAME_SAMPLES * MEDIA_BYTES_PER_SAMPLE;
/** Every frame is exactly this long; the server's `maxPayload` is this too. */
export const MEDIA_FRAME_BYTES = MEDIA_FRAME_HEADER_BYTES + MEDIA_FRAME_PAYLOAD_BYTES;
/** The first byte of every frame; a frame of another version is refused. */
export const MEDIA_FRAME_VERSION = 1;

/** The WebSocket path of the media endpoint, on the same origin as the HTTP API and socket.io. */
export const MEDIA_PATH = '/media';

/** The tracks of a call, in the order of their one-byte code in the frame header. */
export const MEDIA_TRACKS = ['customer', 'agent', 'supervisor'] as const;
export const MediaTrackSchema = z.enum(MEDIA_TRACKS);
export type MediaTrack = z.infer<typeof MediaTrackSchema>;

/** Header flag bits. */
export const MEDIA_FRAME_FLAGS = {
  /**
   * Set by the server on a frame it silenced: the recording is paused for PCI and a monitoring or coaching
   * supervisor receives silence in place of the call's audio (docs/architecture.md "Media plane").
   */
  SILENCED: 0b0000_0001,
} as const;

/**
 * Close codes of a media socket (4000–4999 are the application's). The close reason says more: for
 * `ENDED`, the session end reason (`stopped`, `call-ended`, ...) or `left-call`.
 */
export const MEDIA_CLOSE_CODES = {
  /** The session or call the token was bound to ended; nothing more will flow on this socket. */
  ENDED: 4000,
  /** A frame broke the protocol (text, wrong length, version or track); the reason names it. */
  INVALID_FRAME: 4400,
  /** Frames arrive faster than real time for too long. */
  TOO_FAST: 4429,
  /** The consumer stayed too slow: its stale audio was dropped until the server gave up on it. */
  TOO_SLOW: 4408,
  /** A newer socket with a token for the same session or call replaced this one. */
  REPLACED: 4409,
  /** The server is shutting down (the standard "going away"). */
  SERVER_CLOSING: 1001,
  /** The server failed on this socket (the standard "internal error"); it has been logged. */
  INTERNAL: 1011,
} as const;
export type MediaCloseCode = (typeof MEDIA_CLOSE_CODES)[keyof typeof MEDIA_CLOSE_CODES];

/** How long a media token may wait before it is redeemed (it is single-use). */
export const MEDIA_TOKEN_TTL_MS = 30_000;
