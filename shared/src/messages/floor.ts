import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common.js';

/** docs/architecture.md "Phone state". */
export const PHONE_STATE_NAMES = ['loggedOut', 'available', 'notReady', 'ringing', 'talking', 'held', 'wrapUp'] as const;
export const PhoneStateNameSchema = z.enum(PHONE_STATE_NAMES);
export type PhoneStateName = z.infer<typeof PhoneStateNameSchema>;

/** The live call controls, one per right: `live.monitor`, `live.coach`, `live.barge`, `live.takeOver`. */
export const SUPERVISION_MODES = ['monitor', 'coach', 'barge', 'takeOver'] as const;
export const SupervisionModeSchema = z.enum(SUPERVISION_MODES);
export type SupervisionMode = z.infer<typeof SupervisionModeSchema>;

/**
 * `paused` is the PCI pause: nothing is recorded, and silent listeners hear nothing either. `failed`: the
 * recorder could not write the call (a full or failing disk); nothing more of it is recorded unless a
 * recording is started again.
 */
export const RECORDING_STATES = ['off', 'on', 'paused', 'failed'] as const;
export const RecordingStateSchema = z.enum(RECORDING_STATES);
export type RecordingState = z.infer<typeof RecordingStateSchema>;

export const CALL_DIRECTIONS = ['inbound', 'outbound'] as const;
export const CallDirectionSchema = z.enum(CALL_DIRECTIONS);
export type CallDirection = z.infer<typeof CallDirectionSchema>;

export const SessionIdSchema = z.string().min(1).max(64);
export const CallIdSchema = z.string().min(1).max(64);

/** A supervision session as the board shows it on the call: who, in which mode, since when (in that mode). */
export const SupervisionSummarySchema = z.object({
  sessionId: SessionIdSchema,
  supervisorId: IdSchema,
  supervisorName: z.string(),
  mode: SupervisionModeSchema,
  since: TimestampSchema,
});
export type SupervisionSummary = z.infer<typeof SupervisionSummarySchema>;

export const CallSchema = z.object({
  callId: CallIdSchema,
  direction: CallDirectionSchema,
  /** Never the full number on the wire: only the last digits are shown. */
  remoteNumberMasked: z.string(),
  queue: z.string(),
  startedAt: TimestampSchema,
  recording: RecordingStateSchema,
  supervisions: z.array(SupervisionSummarySchema),
});
export type Call = z.infer<typeof CallSchema>;

export const AgentPhoneStateSchema = z.object({
  userId: IdSchema,
  state: PhoneStateNameSchema,
  /** Set only in `notReady`. */
  notReadyReason: z.string().nullable(),
  /** Server time the current state was entered, so clients show time in state. */
  since: TimestampSchema,
  /** Set only in `ringing`, `talking` and `held`. */
  call: CallSchema.nullable(),
});
export type AgentPhoneState = z.infer<typeof AgentPhoneStateSchema>;

/**
 * docs/architecture.md "Supervision sessions: ends on ...". Every end reaches the supervisor (and the agent's
 * notice) with one of these. `taken-over-ended`: the call ended because the supervisor who had taken it
 * over left it (stopped, disconnected or lost the right); the other sessions on that call end with it.
 * `server-restarted`: the server stopped (a crash, a kill) while the session was open; the next start ends it.
 * `platform-refused`: the telephony platform could not take over the call of a session started as a take-over
 * (after the agent's notice went out); the agent stays on the call.
 * `node-failed`: several nodes: the node that held the call died (its heartbeat ran out); a surviving node
 * ended the session. The call's audio on that node was lost with it.
 */
export const SESSION_END_REASONS = [
  'stopped',
  'call-ended',
  'agent-disconnected',
  'supervisor-disconnected',
  'rights-revoked',
  'out-of-scope',
  'taken-over-ended',
  'server-restarted',
  'platform-refused',
  'node-failed',
] as const;
export const SessionEndReasonSchema = z.enum(SESSION_END_REASONS);
export type SessionEndReason = z.infer<typeof SessionEndReasonSchema>;

export const NOTICE_PHASES = ['started', 'changed', 'ended'] as const;
export const NoticePhaseSchema = z.enum(NOTICE_PHASES);
export type NoticePhase = z.infer<typeof NoticePhaseSchema>;

export const PersonRefSchema = z.object({ id: IdSchema, name: z.string() });
export type PersonRef = z.infer<typeof PersonRefSchema>;

/** `notice:supervision`: to the monitored agent, on every start, mode change and end (Notices). */
export const SupervisionNoticeSchema = z.object({
  sessionId: SessionIdSchema,
  callId: CallIdSchema,
  supervisor: PersonRefSchema,
  mode: SupervisionModeSchema,
  phase: NoticePhaseSchema,
  /** Set only when `phase` is `ended`. */
  reason: SessionEndReasonSchema.nullable(),
  at: TimestampSchema,
});
export type SupervisionNotice = z.infer<typeof SupervisionNoticeSchema>;

/** `notice:recording`: to the agent on the call, always. `by` null: the system (a recording profile, the telephony). */
export const RecordingNoticeSchema = z.object({
  callId: CallIdSchema,
  state: RecordingStateSchema,
  by: PersonRefSchema.nullable(),
  at: TimestampSchema,
});
export type RecordingNotice = z.infer<typeof RecordingNoticeSchema>;
