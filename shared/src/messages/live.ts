import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common.js';
import {
  AgentPhoneStateSchema,
  CallIdSchema,
  CallSchema,
  PersonRefSchema,
  RecordingStateSchema,
  SessionEndReasonSchema,
  SessionIdSchema,
  SupervisionModeSchema,
  SupervisionNoticeSchema,
  SupervisionSummarySchema,
} from './floor.js';
import { PlatformCapabilitiesSchema } from './platform.js';

/** Supervisor actions may carry one: a repeat with the same id returns the first answer (idempotent retry). */
export const RequestIdSchema = z.string().min(1).max(64).optional();

// ── The board ────────────────────────────────────────────────────────────────────────────────────────────

/** One agent on the live board: who, in which teams, and their phone state. */
export const BoardEntrySchema = z.object({
  userId: IdSchema,
  displayName: z.string(),
  teamIds: z.array(IdSchema),
  phone: AgentPhoneStateSchema,
});
export type BoardEntry = z.infer<typeof BoardEntrySchema>;

export const BoardTeamSchema = z.object({ id: IdSchema, name: z.string() });

/** A call a supervisor took over: the agent has left it, so it is no longer on the agent's phone. */
export const TakenOverCallSchema = z.object({
  call: CallSchema,
  agentId: IdSchema,
  supervisorId: IdSchema,
  since: TimestampSchema,
});
export type TakenOverCallView = z.infer<typeof TakenOverCallSchema>;

export const BoardSnapshotSchema = z.object({
  /** The sequence number of this snapshot; the next delta carries seq + 1. */
  seq: z.number().int().nonnegative(),
  entries: z.array(BoardEntrySchema),
  teams: z.array(BoardTeamSchema),
  takenOver: z.array(TakenOverCallSchema),
  /**
   * What the telephony behind this server carries: the board offers only these modes and recording
   * controls. Fixed while the server runs, so deltas leave it out.
   */
  platform: PlatformCapabilitiesSchema,
  at: TimestampSchema,
});
export type BoardSnapshot = z.infer<typeof BoardSnapshotSchema>;

/**
 * `board:delta`: one change, numbered. Contiguous per subscription: a client that sees a gap asks for a
 * fresh snapshot (`board:subscribe` again). A snapshot may start at any number (subscribers who see the
 * same agents share one numbered stream); the first delta after it carries its seq + 1.
 */
export const BoardDeltaSchema = z.object({
  seq: z.number().int().positive(),
  /** The entry as it is now (added or changed). */
  entry: BoardEntrySchema.optional(),
  /** The user left the subscriber's scope, or is gone. */
  removedUserId: IdSchema.optional(),
  /** Taken-over calls as they are now (sent whenever one starts, changes or ends). */
  takenOver: z.array(TakenOverCallSchema).optional(),
  at: TimestampSchema,
});
export type BoardDelta = z.infer<typeof BoardDeltaSchema>;

// ── Supervision ──────────────────────────────────────────────────────────────────────────────────────────

export const SuperviseStartRequestSchema = z.strictObject({ agentId: IdSchema, mode: SupervisionModeSchema, requestId: RequestIdSchema });
export const SuperviseModeRequestSchema = z.strictObject({ sessionId: SessionIdSchema, mode: SupervisionModeSchema, requestId: RequestIdSchema });
export const SuperviseStopRequestSchema = z.strictObject({ sessionId: SessionIdSchema, requestId: RequestIdSchema });

export const SupervisionSessionViewSchema = SupervisionSummarySchema.extend({
  callId: CallIdSchema,
  agentId: IdSchema,
  agentName: z.string(),
  startedAt: TimestampSchema,
});
export type SupervisionSessionView = z.infer<typeof SupervisionSessionViewSchema>;

export const SuperviseResponseSchema = z.object({ session: SupervisionSessionViewSchema });
export const SuperviseStopResponseSchema = z.object({ sessionId: SessionIdSchema });
export const SuperviseMineResponseSchema = z.object({ sessions: z.array(SupervisionSessionViewSchema) });

/** `supervise:ended`: to the supervisor, for every end, whatever its reason. */
export const SupervisionEndedSchema = z.object({
  sessionId: SessionIdSchema,
  callId: CallIdSchema,
  agentId: IdSchema,
  mode: SupervisionModeSchema,
  reason: SessionEndReasonSchema,
  at: TimestampSchema,
});
export type SupervisionEnded = z.infer<typeof SupervisionEndedSchema>;

// ── Recording ────────────────────────────────────────────────────────────────────────────────────────────

export const RecordingRequestSchema = z.strictObject({ callId: CallIdSchema, requestId: RequestIdSchema });
export const RecordingResponseSchema = z.object({ callId: CallIdSchema, state: RecordingStateSchema });

// ── The agent's own phone (desktop-agent plugin) ─────────────────────────────────────────────────────────

export const AGENT_STATUSES = ['available', 'notReady', 'loggedOut'] as const;
export const AgentStatusRequestSchema = z.strictObject({
  status: z.enum(AGENT_STATUSES),
  /** Required with notReady: "Break", "Lunch", "Training"... */
  reason: z.string().trim().min(1).max(60).optional(),
});
export const CallActionRequestSchema = z.strictObject({ callId: CallIdSchema });

/** What an agent's plugin needs after (re)connecting: its phone and the sessions active on its call. */
export const AgentResyncSchema = z.object({
  phone: AgentPhoneStateSchema,
  /** One `started` notice per active session (empty when the profile lacks Live Monitoring Notifications). */
  supervisions: z.array(SupervisionNoticeSchema),
  notificationsEnabled: z.boolean(),
  help: z.lazy(() => HelpRequestViewSchema).nullable(),
  /** What the telephony behind this server carries: the plugin offers only these call controls. */
  platform: PlatformCapabilitiesSchema,
});
export type AgentResync = z.infer<typeof AgentResyncSchema>;

export const AgentPhoneResponseSchema = z.object({ phone: AgentPhoneStateSchema });

// ── Help ─────────────────────────────────────────────────────────────────────────────────────────────────

/** A help request's message is a short note for the supervisor, not a chat: one line on their alert. */
export const HELP_MESSAGE_MAX = 200;
export const HelpMessageSchema = z
  .string()
  .trim()
  .max(HELP_MESSAGE_MAX, { error: `The message to your supervisor can be at most ${HELP_MESSAGE_MAX} characters` });
/** Raises a request; while one is open, the same request (its message replaced when one is given). */
export const HelpRequestSchema = z.strictObject({ message: HelpMessageSchema.optional() });
export const HelpAckRequestSchema = z.strictObject({ helpId: z.string().min(1).max(64) });
/** The agent who asked withdraws their request. */
export const HelpCancelRequestSchema = z.strictObject({ helpId: z.string().min(1).max(64) });

/**
 * Why a request finished: the agent cancelled it; the call it was raised on ended; the supervisor on the
 * way left (their session on the agent's call ended, or they left the floor); the agent logged out.
 */
export const HELP_END_REASONS = ['cancelled', 'call-ended', 'supervisor-left', 'logged-out', 'node-failed'] as const;
export const HelpEndReasonSchema = z.enum(HELP_END_REASONS);
export type HelpEndReason = z.infer<typeof HelpEndReasonSchema>;

export const HelpRequestViewSchema = z.object({
  helpId: z.string(),
  agent: PersonRefSchema,
  callId: CallIdSchema.nullable(),
  message: z.string().nullable(),
  raisedAt: TimestampSchema,
  /** The supervisor on the way, and since when. */
  acknowledgedBy: PersonRefSchema.nullable(),
  acknowledgedAt: TimestampSchema.nullable(),
  /** Set once, on the last push of a request: it is over and leaves every list. */
  endedAt: TimestampSchema.nullable(),
  endReason: HelpEndReasonSchema.nullable(),
});
export type HelpRequestView = z.infer<typeof HelpRequestViewSchema>;
export const HelpResponseSchema = z.object({ help: HelpRequestViewSchema });
export const HelpListResponseSchema = z.object({ requests: z.array(HelpRequestViewSchema) });
