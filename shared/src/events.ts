import { z } from 'zod';
import type { Ack } from './errors.js';
import { WireErrorSchema } from './errors.js';
import { MeRightsSchema, MeSchema } from './messages/auth.js';
import { AuditChoicesResponseSchema, AuditQueryRequestSchema, AuditQueryResponseSchema } from './messages/audit.js';
import { EmptyRequestSchema } from './messages/common.js';
import { MediaTokenRequestSchema, MediaTokenResponseSchema } from './messages/media.js';
import { RecordingNoticeSchema, SupervisionNoticeSchema } from './messages/floor.js';
import {
  AgentPhoneResponseSchema,
  AgentResyncSchema,
  AgentStatusRequestSchema,
  BoardDeltaSchema,
  BoardSnapshotSchema,
  CallActionRequestSchema,
  HelpAckRequestSchema,
  HelpCancelRequestSchema,
  HelpListResponseSchema,
  HelpRequestSchema,
  HelpRequestViewSchema,
  HelpResponseSchema,
  RecordingRequestSchema,
  RecordingResponseSchema,
  SupervisionEndedSchema,
  SuperviseMineResponseSchema,
  SuperviseModeRequestSchema,
  SuperviseResponseSchema,
  SuperviseStartRequestSchema,
  SuperviseStopRequestSchema,
  SuperviseStopResponseSchema,
} from './messages/live.js';
import {
  ProfileCreateRequestSchema,
  ProfileDeleteRequestSchema,
  ProfileDeleteResponseSchema,
  ProfileRenameRequestSchema,
  ProfileResponseSchema,
  ProfilesListResponseSchema,
  ProfileUpdateRequestSchema,
} from './messages/profiles.js';
import {
  TeamCreateRequestSchema,
  TeamDeleteRequestSchema,
  TeamDeleteResponseSchema,
  TeamResponseSchema,
  TeamsListResponseSchema,
  TeamUpdateRequestSchema,
} from './messages/teams.js';
import {
  UserCreateRequestSchema,
  UserDeleteRequestSchema,
  UserDeleteResponseSchema,
  UserResponseSchema,
  UsersListResponseSchema,
  UserUpdateRequestSchema,
} from './messages/users.js';
import { QueuesSnapshotSchema, QueueUpdateSchema } from './messages/queues.js';
import { AlertDefaultsRequestSchema, AlertDefaultsResponseSchema, AlertMineRequestSchema, AlertSettingsSchema } from './messages/alerts.js';
import { MonitoringHistoryResponseSchema } from './messages/monitoringHistory.js';

interface ClientEventSpec {
  request: z.ZodType;
  response: z.ZodType;
}

/** Every client → server event: its request and the `data` of its ack. The one source of the wire. */
export const clientEvents = {
  'me:get': { request: EmptyRequestSchema, response: MeSchema },

  'profiles:list': { request: EmptyRequestSchema, response: ProfilesListResponseSchema },
  'profiles:create': { request: ProfileCreateRequestSchema, response: ProfileResponseSchema },
  'profiles:update': { request: ProfileUpdateRequestSchema, response: ProfileResponseSchema },
  'profiles:rename': { request: ProfileRenameRequestSchema, response: ProfileResponseSchema },
  'profiles:delete': { request: ProfileDeleteRequestSchema, response: ProfileDeleteResponseSchema },

  'users:list': { request: EmptyRequestSchema, response: UsersListResponseSchema },
  'users:create': { request: UserCreateRequestSchema, response: UserResponseSchema },
  'users:update': { request: UserUpdateRequestSchema, response: UserResponseSchema },
  'users:delete': { request: UserDeleteRequestSchema, response: UserDeleteResponseSchema },

  'teams:list': { request: EmptyRequestSchema, response: TeamsListResponseSchema },
  'teams:create': { request: TeamCreateRequestSchema, response: TeamResponseSchema },
  'teams:update': { request: TeamUpdateRequestSchema, response: TeamResponseSchema },
  'teams:delete': { request: TeamDeleteRequestSchema, response: TeamDeleteResponseSchema },

  'audit:query': { request: AuditQueryRequestSchema, response: AuditQueryResponseSchema },
  'audit:choices': { request: EmptyRequestSchema, response: AuditChoicesResponseSchema },

  'board:subscribe': { request: EmptyRequestSchema, response: BoardSnapshotSchema },
  'board:unsubscribe': { request: EmptyRequestSchema, response: z.object({ subscribed: z.literal(false) }) },

  'queues:subscribe': { request: EmptyRequestSchema, response: QueuesSnapshotSchema },
  'queues:unsubscribe': { request: EmptyRequestSchema, response: z.object({ subscribed: z.literal(false) }) },

  'supervise:start': { request: SuperviseStartRequestSchema, response: SuperviseResponseSchema },
  'supervise:mode': { request: SuperviseModeRequestSchema, response: SuperviseResponseSchema },
  'supervise:stop': { request: SuperviseStopRequestSchema, response: SuperviseStopResponseSchema },
  'supervise:mine': { request: EmptyRequestSchema, response: SuperviseMineResponseSchema },
  /** The agent's own: who supervised their calls in the last 30 days (Live Monitoring Notifications). */
  'monitoring:history': { request: EmptyRequestSchema, response: MonitoringHistoryResponseSchema },

  'recording:start': { request: RecordingRequestSchema, response: RecordingResponseSchema },
  'recording:pause': { request: RecordingRequestSchema, response: RecordingResponseSchema },
  'recording:resume': { request: RecordingRequestSchema, response: RecordingResponseSchema },
  'recording:stop': { request: RecordingRequestSchema, response: RecordingResponseSchema },

  'media:token': { request: MediaTokenRequestSchema, response: MediaTokenResponseSchema },

  'agent:attach': { request: EmptyRequestSchema, response: AgentResyncSchema },
  'agent:status': { request: AgentStatusRequestSchema, response: AgentPhoneResponseSchema },
  'call:answer': { request: CallActionRequestSchema, response: AgentPhoneResponseSchema },
  'call:hold': { request: CallActionRequestSchema, response: AgentPhoneResponseSchema },
  'call:unhold': { request: CallActionRequestSchema, response: AgentPhoneResponseSchema },
  'call:hangUp': { request: CallActionRequestSchema, response: AgentPhoneResponseSchema },

  'help:request': { request: HelpRequestSchema, response: HelpResponseSchema },
  'help:ack': { request: HelpAckRequestSchema, response: HelpResponseSchema },
  'help:cancel': { request: HelpCancelRequestSchema, response: HelpResponseSchema },
  'help:list': { request: EmptyRequestSchema, response: HelpListResponseSchema },

  'alerts:get': { request: EmptyRequestSchema, response: AlertSettingsSchema },
  'alerts:setDefaults': { request: AlertDefaultsRequestSchema, response: AlertDefaultsResponseSchema },
  'alerts:setMine': { request: AlertMineRequestSchema, response: AlertSettingsSchema },
} as const satisfies Record<string, ClientEventSpec>;

export type ClientEventName = keyof typeof clientEvents;
export const CLIENT_EVENT_NAMES = Object.keys(clientEvents) as ClientEventName[];

export type RequestOf<E extends ClientEventName> = z.input<(typeof clientEvents)[E]['request']>;
export type ParsedRequestOf<E extends ClientEventName> = z.output<(typeof clientEvents)[E]['request']>;
export type ResponseOf<E extends ClientEventName> = z.output<(typeof clientEvents)[E]['response']>;

/** Every server → client push. */
export const serverEvents = {
  /** The user's effective rights, pushed on connect and whenever their profile or teams change. */
  'me:rights': MeRightsSchema,
  /** An event was sent without an ack callback, so its error could not be acked. */
  'action:error': z.object({ event: z.string(), error: WireErrorSchema }),
  /** A numbered change to the subscribed board. */
  'board:delta': BoardDeltaSchema,
  /**
   * The subscribed board as it is now, pushed when the subscriber's scope may have changed (docs/permissions.md rule 7: a
   * profile, user or team change): replace the board with it; the next delta carries its seq + 1.
   */
  'board:snapshot': BoardSnapshotSchema,
  /** One subscribed queue's figures changed (a caller arrived, was answered or gave up; an agent's state; a threshold crossed). */
  'queues:update': QueueUpdateSchema,
  /** The subscribed queues as they now are, pushed when the subscriber's scope may have changed (docs/permissions.md rule 7). */
  'queues:snapshot': QueuesSnapshotSchema,
  /** To the supervisor: one of their sessions ended, with why. */
  'supervise:ended': SupervisionEndedSchema,
  /** To the monitored agent (with Live Monitoring Notifications): started, changed, ended. */
  'notice:supervision': SupervisionNoticeSchema,
  /** To the agent on the call, always: the recording state changed. */
  'notice:recording': RecordingNoticeSchema,
  /**
   * To the agent: their phone state changed (a call rings, the customer hung up, a take-over). Not to the socket
   * whose own request changed it (a status, an answer): that request's answer carries the phone.
   */
  'agent:phone': AgentPhoneResponseSchema,
  /** To the supervisors whose scope holds the agent: raised or acknowledged. */
  'help:update': HelpRequestViewSchema,
  /** To everyone signed in: an administrator changed the default thresholds (each user's own stay under them). */
  'alerts:defaults': AlertDefaultsResponseSchema,
  /** To the user's other tabs: they changed their own thresholds or signals. */
  'alerts:settings': AlertSettingsSchema,
} as const satisfies Record<string, z.ZodType>;

export type ServerEventName = keyof typeof serverEvents;
export type PayloadOf<E extends ServerEventName> = z.output<(typeof serverEvents)[E]>;

export type ClientToServerEvents = {
  [E in ClientEventName]: (payload: RequestOf<E>, ack: (response: Ack<ResponseOf<E>>) => void) => void;
};

export type ServerToClientEvents = {
  [E in ServerEventName]: (payload: PayloadOf<E>) => void;
};
