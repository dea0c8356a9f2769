import { z } from 'zod';
import { MediaTrackSchema } from '../media/constants.js';
import { IdSchema, TimestampSchema } from './common.js';
import { CallDirectionSchema, CallIdSchema, SessionIdSchema } from './floor.js';

// ── media:token ──────────────────────────────────────────────────────────────────────────────────────────

/**
 * `media:token`: a short-lived, single-use token for the media socket, bound to one of the caller's
 * supervision sessions (`sessionId`: the supervisor app) or to the caller's own call (`callId`: the
 * agent plugin).
 */
export const MediaTokenRequestSchema = z
  .strictObject({ sessionId: SessionIdSchema.optional(), callId: CallIdSchema.optional() })
  .refine((r) => (r.sessionId === undefined) !== (r.callId === undefined), {
    // Only once the fields themselves parse, so that a malformed field is what the refusal names.
    when: (payload) => payload.issues.length === 0,
    message: 'Give exactly one of a supervision session (sessionId) or your own call (callId).',
  });
export type MediaTokenRequest = z.infer<typeof MediaTokenRequestSchema>;

export const MediaTokenResponseSchema = z.object({
  /** Open `ws(s)://<server><path>?token=<token>` before `expiresAt`; the token works once. */
  token: z.string(),
  expiresAt: TimestampSchema,
  path: z.string(),
  /** Several nodes: the node whose media plane carries the call (`http(s)://host:port`); open the socket there. Absent: the server that answered. */
  url: z.string().optional(),
  callId: CallIdSchema,
  /** Set for a supervisor's socket. */
  sessionId: SessionIdSchema.nullable(),
  /** The one track this socket may send: `agent` (the plugin's microphone) or `supervisor`. */
  sends: MediaTrackSchema,
});
export type MediaTokenResponse = z.infer<typeof MediaTokenResponseSchema>;

// ── Recordings (HTTP) ────────────────────────────────────────────────────────────────────────────────────

/** A span of the recording paused for PCI: silence in the file. Milliseconds from the recording's start. */
export const PausedSpanSchema = z.object({
  fromMs: z.number().int().nonnegative(),
  /** Null while the pause goes on (a recording in progress). */
  toMs: z.number().int().nonnegative().nullable(),
});
export type PausedSpan = z.infer<typeof PausedSpanSchema>;

/**
 * One recorded call: a stereo WAV, 8 kHz 16-bit, the customer on the left, the agent (and a barging or
 * taking-over supervisor) on the right.
 */
export const RecordingSchema = z.object({
  id: IdSchema,
  callId: CallIdSchema,
  /** The agent whose call it is: the target of the recording rights' scope. */
  agentId: IdSchema,
  agentName: z.string(),
  queue: z.string(),
  direction: CallDirectionSchema,
  remoteNumberMasked: z.string(),
  startedAt: TimestampSchema,
  /** Null while the call is still being recorded (not yet playable). */
  endedAt: TimestampSchema.nullable(),
  durationMs: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  pausedSpans: z.array(PausedSpanSchema),
});
export type Recording = z.infer<typeof RecordingSchema>;

export const RECORDINGS_PAGE_MAX = 200;

/** `GET /api/recordings` query: newest first, within the caller's scope. */
export const RecordingsListQuerySchema = z.strictObject({
  agentId: z.coerce.number().pipe(IdSchema).optional(),
  callId: CallIdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(RECORDINGS_PAGE_MAX).optional(),
  /** Cursor: recordings with an id below this one. */
  before: z.coerce.number().pipe(IdSchema).optional(),
});
export type RecordingsListQuery = z.infer<typeof RecordingsListQuerySchema>;

export const RecordingsListResponseSchema = z.object({
  recordings: z.array(RecordingSchema),
  /** Pass as `before` for the next page; null on the last page. */
  nextBefore: IdSchema.nullable(),
});
export type RecordingsListResponse = z.infer<typeof RecordingsListResponseSchema>;

export const RecordingIdParamsSchema = z.strictObject({ id: z.coerce.number().pipe(IdSchema) });

/**
 * `POST /api/recordings/:id/ticket`: a short-lived ticket for the URLs an `<audio>` element or a download
 * link opens, which cannot carry the Authorization header. Rights and scope are checked again on each use.
 */
export const RecordingTicketResponseSchema = z.object({
  ticket: z.string(),
  expiresAt: TimestampSchema,
  /** `GET`, with HTTP range requests (Recording Playback). */
  audioUrl: z.string(),
  /** `GET`, as an attachment (Export Recording). */
  exportUrl: z.string(),
});
export type RecordingTicketResponse = z.infer<typeof RecordingTicketResponseSchema>;

export const RecordingDeleteResponseSchema = z.object({ recordingId: IdSchema });
