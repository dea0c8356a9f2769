import type { AgentPhoneState, Call } from '@earshot/shared';
import { ActionError } from './actionError.js';
import { applyPhoneEvent } from './phoneState.js';
import { nextRecordingState, type RecordingTransition } from './recording.js';

/**
 * docs/architecture.md "take over": the agent leaves the call (to wrap-up) and the supervisor talks with the
 * customer; stopping the take-over ends the call. The agent's phone state no longer carries the call, so
 * it lives on here, on the node of the agent's telephony leg, until it ends.
 */
export interface TakenOverCall {
  /** The call as it was when taken over; its recording and supervisions go on changing. */
  call: Call;
  /** The agent who left it: rights and scope of the other sessions on it are still judged against them. */
  agentId: number;
  sessionId: string;
  supervisorId: number;
  since: number;
}

/** The agent leaves for wrap-up and the call passes to the take-over session, in one step. */
export function handOverCall(
  agent: AgentPhoneState,
  to: { sessionId: string; supervisorId: number },
  now: number,
): { agent: AgentPhoneState; takenOver: TakenOverCall } {
  const call = agent.call;
  const after = applyPhoneEvent(agent, { type: 'takeOver' }, now);
  if (!call) throw new ActionError('INTERNAL', `User ${agent.userId} left a call they did not hold`);
  return { agent: after, takenOver: { call, agentId: agent.userId, sessionId: to.sessionId, supervisorId: to.supervisorId, since: now } };
}

/** `recording:start|pause|resume` on a taken-over call: the same rules as on the agent's call. */
export function applyRecordingToTakenOverCall(takenOver: TakenOverCall, change: RecordingTransition): TakenOverCall {
  return { ...takenOver, call: { ...takenOver.call, recording: nextRecordingState(takenOver.call.recording, change) } };
}
