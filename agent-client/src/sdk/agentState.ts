import type {
  AgentControl,
  AgentPhoneState,
  AgentResync,
  HelpRequestView,
  MeRights,
  PlatformCapabilities,
  RecordingNotice,
  SupervisionNotice,
} from '@earshot/shared';
import type { AgentClientError } from './agentClientError.js';

/**
 * `connecting`: the first connection is being opened; `reconnecting`: it dropped and the client is
 * coming back (the last known state stays on show); `connected`: attached and in sync with the server;
 * `closed`: for good (closed by the app, login ended, or the server refused), `error` says why.
 */
export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'closed';

/** Everything the desktop agent shows, as the SDK knows it now. Replaced, never mutated. */
export interface AgentState {
  connection: ConnectionStatus;
  /** The user's effective rights (`me:rights`): controls show only what the profile holds. */
  rights: MeRights | null;
  /** The agent's phone: state, time in state, the call. Null until the first attach. */
  phone: AgentPhoneState | null;
  /**
   * The supervision sessions on the agent's call, as the latest notice of each (`started` or `changed`).
   * Always empty when the agent's profile lacks Live Monitoring Notifications.
   */
  supervisions: SupervisionNotice[];
  /** Whether this agent's profile holds Live Monitoring Notifications (`live.notifications`). */
  notificationsEnabled: boolean;
  /** The latest recording notice of the current call (who paused it and when); null when none came. */
  recording: RecordingNotice | null;
  /** The agent's latest help request (open or acknowledged). */
  help: HelpRequestView | null;
  /**
   * What the telephony behind the server carries (from every attach): the plugin offers only those call
   * controls, and recording only when it carries recording. Null until the first attach.
   */
  platform: PlatformCapabilities | null;
  /** Why the connection closed or the last resync failed. */
  error: AgentClientError | null;
}

export const INITIAL_AGENT_STATE: AgentState = {
  connection: 'connecting',
  rights: null,
  phone: null,
  supervisions: [],
  notificationsEnabled: false,
  recording: null,
  help: null,
  platform: null,
  error: null,
};

/** After `agent:attach`: the server's phone, sessions and open help request replace what was known. */
export function withResync(state: AgentState, resync: AgentResync): AgentState {
  return {
    ...state,
    connection: 'connected',
    error: null,
    phone: resync.phone,
    supervisions: resync.notificationsEnabled ? resync.supervisions : [],
    notificationsEnabled: resync.notificationsEnabled,
    recording: recordingOfCall(state.recording, resync.phone),
    // No open request on the server: one known here ended meanwhile (its end is kept only if it was seen).
    help: resync.help ?? (state.help?.endedAt != null ? state.help : null),
    platform: resync.platform,
  };
}

/**
 * Whether the plugin offers a call control: the telephony carries it (a PBX may leave answering, or
 * holding, to the phone itself). Before the first attach nothing is held back; the server decides again.
 */
export function offersCallControl(state: Pick<AgentState, 'platform'>, control: AgentControl): boolean {
  return state.platform === null || state.platform.agentControls.includes(control);
}

/** Whether the plugin offers recording controls: the telephony can record calls. */
export function offersRecording(state: Pick<AgentState, 'platform'>): boolean {
  return state.platform === null || state.platform.recording;
}

/**
 * Whether the plugin offers "Who listened to my calls": the profile holds Live Monitoring Notifications,
 * the right the server asks of `monitoring:history` (an agent told of supervisions may read their history).
 */
export function offersMonitoringHistory(state: Pick<AgentState, 'rights'>): boolean {
  return state.rights?.rights.includes('live.notifications') ?? false;
}

/**
 * A new phone state. The supervision notices are left alone: a session ends with its own `ended` notice
 * (a taken-over call leaves the agent's phone, but the take-over notice stays until that session ends).
 * `phone.call.supervisions` is never read: who supervises is shown only through notices, which the
 * server sends only to agents holding Live Monitoring Notifications.
 */
export function withPhone(state: AgentState, phone: AgentPhoneState): AgentState {
  return { ...state, phone, recording: recordingOfCall(state.recording, phone) };
}

/** `notice:supervision`: started and changed show the session as it is now; ended removes it. */
export function withSupervisionNotice(state: AgentState, notice: SupervisionNotice): AgentState {
  const others = state.supervisions.filter((n) => n.sessionId !== notice.sessionId);
  if (notice.phase === 'ended') return { ...state, supervisions: others };
  const at = state.supervisions.findIndex((n) => n.sessionId === notice.sessionId);
  const supervisions = at === -1 ? [...others, notice] : state.supervisions.map((n, i) => (i === at ? notice : n));
  return { ...state, supervisions };
}

export function withRecordingNotice(state: AgentState, notice: RecordingNotice): AgentState {
  return { ...state, recording: notice };
}

/**
 * `help:update` reaches supervisors too; an agent keeps only its own requests. An ended request stays as the
 * agent's last one (the desk says why it ended) until the next is raised.
 */
export function withHelp(state: AgentState, help: HelpRequestView, ownUserId: number | null): AgentState {
  return help.agent.id === ownUserId ? { ...state, help } : state;
}

export function withRights(state: AgentState, rights: MeRights): AgentState {
  return { ...state, rights };
}

export function withConnection(state: AgentState, connection: ConnectionStatus, error: AgentClientError | null = state.error): AgentState {
  return { ...state, connection, error };
}

function recordingOfCall(notice: RecordingNotice | null, phone: AgentPhoneState): RecordingNotice | null {
  return notice !== null && phone.call?.callId === notice.callId ? notice : null;
}
