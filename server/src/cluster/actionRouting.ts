import { agentOfHelpId } from '../domain/helpRequest.js';

/**
 * What an action acts on, for the node that receives it to find the node that owns it: an agent (a start,
 * the agent's own phone, an answer to the agent's help request), a supervision session, or a call. Read from
 * the raw payload before it is parsed: anything that is not what the schema would accept is run where it
 * arrived, where the pipeline refuses it.
 */
export type ActionObject = { kind: 'agent'; agentId: number } | { kind: 'session'; sessionId: string } | { kind: 'call'; callId: string };

/** The actions on an agent's own phone: the agent's plugin sends them to its home node already; others are forwarded there. */
const OWN_PHONE = new Set(['agent:status', 'call:answer', 'call:hold', 'call:unhold', 'call:hangUp', 'help:request', 'help:cancel']);
const ON_A_CALL = new Set(['recording:start', 'recording:pause', 'recording:resume', 'recording:stop']);
const ON_A_SESSION = new Set(['supervise:mode', 'supervise:stop']);

const text = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 && v.length <= 64 ? v : null);

/** Null: the action acts on nothing a single node owns (admin, board, queues), or its payload is not one to route. */
export function actionObject(event: string, payload: unknown, callerId: number): ActionObject | null {
  const p = (payload && typeof payload === 'object' ? payload : {}) as Record<string, unknown>;
  if (event === 'supervise:start') return Number.isSafeInteger(p.agentId) ? { kind: 'agent', agentId: p.agentId as number } : null;
  if (ON_A_SESSION.has(event)) {
    const sessionId = text(p.sessionId);
    return sessionId ? { kind: 'session', sessionId } : null;
  }
  if (ON_A_CALL.has(event)) {
    const callId = text(p.callId);
    return callId ? { kind: 'call', callId } : null;
  }
  if (event === 'media:token') {
    const sessionId = text(p.sessionId);
    if (sessionId) return { kind: 'session', sessionId };
    return { kind: 'agent', agentId: callerId };
  }
  if (OWN_PHONE.has(event)) return { kind: 'agent', agentId: callerId };
  if (event === 'help:ack') {
    const helpId = text(p.helpId);
    const agentId = helpId === null ? null : agentOfHelpId(helpId);
    return agentId === null ? null : { kind: 'agent', agentId };
  }
  return null;
}
