import type { AgentPhoneState, Call, CallDirection, PhoneStateName, SupervisionSummary } from '@earshot/shared';
import { ActionError } from './actionError.js';
import { nextRecordingState, type RecordingTransition } from './recording.js';
import { maskRemoteNumber } from './remoteNumber.js';

/** A call as the telephony offers it to an agent. */
export interface CallOffer {
  callId: string;
  direction: CallDirection;
  /** The full number: masked here, before it reaches any state that travels. */
  remoteNumber: string;
  queue: string;
  /** A recording profile may record the call from its first second. */
  recording?: 'off' | 'on';
}

/**
 * What changes an agent's phone state: the telephony adapter (offer, answer, hold, hang-up), the agent
 * plugin (login, status) and the supervision sessions (take over, recording controls).
 */
export type PhoneEvent =
  | { type: 'login' }
  | { type: 'logout' }
  | { type: 'setAvailable' }
  | { type: 'setNotReady'; reason: string }
  | { type: 'offerCall'; offer: CallOffer }
  | { type: 'answer' }
  | { type: 'hold' }
  | { type: 'unhold' }
  /** Either party hangs up. While ringing: the caller abandoned, so there is nothing to wrap up. */
  | { type: 'hangUp' }
  | { type: 'endWrapUp' }
  /** A supervisor takes the call over: the agent leaves it (docs/architecture.md "take over"). */
  | { type: 'takeOver' }
  | { type: 'recording'; change: RecordingTransition };

export type PhoneEventType = PhoneEvent['type'];

/**
 * The states each event may come from; any other is a CONFLICT that names both. An agent on a call can
 * neither log out nor change status (the call ends first); a call is offered only to an available agent;
 * a recording is controlled only on a connected call.
 */
export const PHONE_EVENT_ALLOWED_IN = {
  login: ['loggedOut'],
  logout: ['available', 'notReady', 'wrapUp'],
  setAvailable: ['notReady', 'wrapUp'],
  setNotReady: ['available', 'notReady', 'wrapUp'],
  offerCall: ['available'],
  answer: ['ringing'],
  hold: ['talking'],
  unhold: ['held'],
  hangUp: ['ringing', 'talking', 'held'],
  endWrapUp: ['wrapUp'],
  takeOver: ['talking', 'held'],
  recording: ['talking', 'held'],
} as const satisfies Record<PhoneEventType, readonly PhoneStateName[]>;

/** A fresh login is not yet ready: the agent says when they are (no call is offered before). */
export const LOGIN_NOT_READY_REASON = 'Logged in';

export function loggedOutState(userId: number, now: number): AgentPhoneState {
  return { userId, state: 'loggedOut', notReadyReason: null, since: now, call: null };
}

/** Talking or held: the states in which a call can be supervised (Supervision sessions: "the agent is on a call"). */
export function isOnCall(state: Pick<AgentPhoneState, 'state'>): boolean {
  return state.state === 'talking' || state.state === 'held';
}

function eventWords(event: PhoneEvent): string {
  return event.type === 'recording' ? `${event.change} the recording` : event.type;
}

function enter(from: AgentPhoneState, state: PhoneStateName, now: number, call: Call | null, notReadyReason: string | null = null): AgentPhoneState {
  return { userId: from.userId, state, notReadyReason, since: now, call };
}

function callOf(state: AgentPhoneState): Call {
  // PHONE_EVENT_ALLOWED_IN admits call events only in ringing, talking and held, which always carry the call.
  if (!state.call) throw new ActionError('INTERNAL', `User ${state.userId} is ${state.state} without a call`);
  return state.call;
}

/**
 * The phone-state machine: the state after `event`, or a CONFLICT naming the state and the event when
 * the event is not allowed there. Every new state carries `since` = `now` (docs/architecture.md "Phone state");
 * a recording change keeps the state, and so its `since`.
 */
export function applyPhoneEvent(current: AgentPhoneState, event: PhoneEvent, now: number): AgentPhoneState {
  const allowed: readonly PhoneStateName[] = PHONE_EVENT_ALLOWED_IN[event.type];
  if (!allowed.includes(current.state)) {
    throw new ActionError('CONFLICT', `Cannot ${eventWords(event)} while ${current.state} (allowed while ${allowed.join(' or ')})`);
  }
  switch (event.type) {
    case 'login':
      return enter(current, 'notReady', now, null, LOGIN_NOT_READY_REASON);
    case 'logout':
      return enter(current, 'loggedOut', now, null);
    case 'setAvailable':
    case 'endWrapUp':
      return enter(current, 'available', now, null);
    case 'setNotReady':
      return enter(current, 'notReady', now, null, event.reason);
    case 'offerCall': {
      const { offer } = event;
      return enter(current, 'ringing', now, {
        callId: offer.callId,
        direction: offer.direction,
        remoteNumberMasked: maskRemoteNumber(offer.remoteNumber),
        queue: offer.queue,
        startedAt: now,
        recording: offer.recording ?? 'off',
        supervisions: [],
      });
    }
    case 'answer':
    case 'unhold':
      return enter(current, 'talking', now, callOf(current));
    case 'hold':
      return enter(current, 'held', now, callOf(current));
    case 'hangUp':
      return current.state === 'ringing' ? enter(current, 'available', now, null) : enter(current, 'wrapUp', now, null);
    case 'takeOver':
      return enter(current, 'wrapUp', now, null);
    case 'recording': {
      const call = callOf(current);
      return { ...current, call: { ...call, recording: nextRecordingState(call.recording, event.change) } };
    }
  }
}

/** The call's supervision sessions as the board shows them; state and `since` unchanged. */
export function withSupervisions(current: AgentPhoneState, supervisions: readonly SupervisionSummary[]): AgentPhoneState {
  if (!current.call) return current;
  return { ...current, call: { ...current.call, supervisions: [...supervisions] } };
}
