import type { AgentPhoneState, PersonRef, RecordingNotice, RecordingState, RightId, SupervisionNotice } from '@earshot/shared';
import type { SupervisionEvent, SupervisionSession } from './supervision.js';

export type NoticeKind = 'supervision' | 'recording';

/**
 * docs/architecture.md "Notices": supervision notices are "decided by the monitored agent's own profile"
 * (Live Monitoring Notifications, `live.notifications`), never by the supervisor's; "recording state
 * changes reach the agent always (it is their own call)".
 */
export function agentReceivesNotice(kind: NoticeKind, agentRights: ReadonlySet<RightId>): boolean {
  return kind === 'recording' || agentRights.has('live.notifications');
}

/**
 * The agent's own phone as shown to the agent, on every channel (their plugin, their own row on the board):
 * who supervises their call is theirs to see only through Live Monitoring Notifications, the same right that
 * decides the notice, or the board would tell what the notice keeps quiet.
 */
export function ownPhoneAsSeen(phone: AgentPhoneState, agentRights: ReadonlySet<RightId>): AgentPhoneState {
  if (!phone.call || phone.call.supervisions.length === 0 || agentReceivesNotice('supervision', agentRights)) return phone;
  return { ...phone, call: { ...phone.call, supervisions: [] } };
}

/** `notice:supervision` for one registry event; an end always carries its reason ("never silent"). */
export function supervisionNotice(event: SupervisionEvent): SupervisionNotice {
  const { session } = event;
  return {
    sessionId: session.sessionId,
    callId: session.callId,
    supervisor: { id: session.supervisor.id, name: session.supervisor.name },
    mode: session.mode,
    phase: event.phase,
    reason: event.phase === 'ended' ? event.reason : null,
    at: event.at,
  };
}

/** "A reconnecting agent receives the sessions active on its call in its resync": one `started` per session, as of its current mode. */
export function resyncSupervisionNotices(activeOnCall: readonly SupervisionSession[]): SupervisionNotice[] {
  return activeOnCall.map((session) => supervisionNotice({ phase: 'started', session, at: session.modeSince }));
}

/** `notice:recording`; `by` null when the system changed it (a recording profile, the telephony). */
export function recordingNotice(callId: string, state: RecordingState, by: PersonRef | null, at: number): RecordingNotice {
  return { callId, state, by: by ? { id: by.id, name: by.name } : null, at };
}
