import type { AuditCall, SessionEndReason, SupervisionEnded } from '@earshot/shared';
import type { AuditEvent } from '../audit/auditLog.js';
import type { SupervisionSession } from '../domain/supervision.js';

/** `supervise:ended`, to the supervisor. */
export function endedNotice(session: SupervisionSession, reason: SessionEndReason, at: number): SupervisionEnded {
  return { sessionId: session.sessionId, callId: session.callId, agentId: session.agentId, mode: session.mode, reason, at };
}

/**
 * The audit record of a session's end: the supervisor acts only when they stopped it themselves. `call`:
 * the call as people know it, while it is still live.
 */
export function endRecord(session: SupervisionSession, reason: SessionEndReason, call: AuditCall | null): AuditEvent {
  return {
    actor: reason === 'stopped' ? { id: session.supervisor.id, displayName: session.supervisor.name } : null,
    action: 'supervise:ended',
    target: { type: 'user', id: String(session.agentId) },
    detail: {
      sessionId: session.sessionId,
      callId: session.callId,
      supervisor: session.supervisor.name,
      mode: session.mode,
      reason,
      ...(call ? { call } : {}),
    },
  };
}
