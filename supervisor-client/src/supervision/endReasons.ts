import type { SessionEndReason } from '@earshot/shared';

/** What the supervisor reads when a session ends: every reason of the wire, in words. */
export const END_REASON_TEXT: Record<SessionEndReason, string> = {
  stopped: 'You stopped the session',
  'call-ended': 'The call ended',
  'agent-disconnected': 'The agent disconnected',
  'supervisor-disconnected': 'Your connection dropped for too long',
  'rights-revoked': 'Your profile no longer allows this mode',
  'out-of-scope': 'The agent is no longer among the users you manage',
  'taken-over-ended': 'The taken-over call ended',
  'server-restarted': 'The server restarted; the call was lost',
  'platform-refused': 'The telephony platform could not take the call over; the agent stays on the call',
  'node-failed': 'The server node handling the call failed; the call was lost',
};
