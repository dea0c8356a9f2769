import type { AgentPhoneState, Call } from '@earshot/shared';
import { describe, expect, it } from 'vitest';
import { ActionError } from './actionError.js';
import { applyPhoneEvent, isOnCall, loggedOutState, withSupervisions, type PhoneEvent } from './phoneState.js';
import { maskRemoteNumber } from './remoteNumber.js';
import { applyRecordingToTakenOverCall, handOverCall } from './takeOver.js';

const T0 = 1_700_000_000_000;
const T1 = T0 + 5_000;

const call: Call = {
  callId: 'c1',
  direction: 'inbound',
  remoteNumberMasked: '+1••••••4567',
  queue: 'sales',
  startedAt: T0,
  recording: 'off',
  supervisions: [],
};

const state = (s: Partial<AgentPhoneState>): AgentPhoneState => ({ userId: 7, state: 'loggedOut', notReadyReason: null, since: T0, call: null, ...s });
const loggedOut = state({});
const available = state({ state: 'available' });
const notReady = state({ state: 'notReady', notReadyReason: 'Lunch' });
const ringing = state({ state: 'ringing', call });
const talking = state({ state: 'talking', call });
const held = state({ state: 'held', call });
const wrapUp = state({ state: 'wrapUp' });

function refusal(from: AgentPhoneState, event: PhoneEvent): { code: string; message: string } {
  try {
    applyPhoneEvent(from, event, T1);
  } catch (e) {
    if (e instanceof ActionError) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('maskRemoteNumber', () => {
  it('keeps the + with the first digit and the last 4 digits, one dot per hidden digit', () => {
    expect(maskRemoteNumber('+15551234567')).toBe('+1••••••4567');
    expect(maskRemoteNumber('+44 20 7946 0958')).toBe('+4•••••••0958');
    expect(maskRemoteNumber('(555) 010-0199')).toBe('••••••0199');
  });
  it('never shows more than half of a short number', () => {
    expect(maskRemoteNumber('5550100')).toBe('••••100');
    expect(maskRemoteNumber('123')).toBe('••3');
    expect(maskRemoteNumber('+12')).toBe('+•2');
    expect(maskRemoteNumber('')).toBe('');
  });
});

describe('applyPhoneEvent: allowed transitions', () => {
  it('login: loggedOut → notReady (Logged in)', () => {
    expect(applyPhoneEvent(loggedOut, { type: 'login' }, T1)).toEqual(state({ state: 'notReady', notReadyReason: 'Logged in', since: T1 }));
  });

  it.each([available, notReady, wrapUp])('logout: $state → loggedOut', (from) => {
    expect(applyPhoneEvent(from, { type: 'logout' }, T1)).toEqual(state({ state: 'loggedOut', since: T1 }));
  });

  it.each([notReady, wrapUp])('setAvailable: $state → available', (from) => {
    expect(applyPhoneEvent(from, { type: 'setAvailable' }, T1)).toEqual(state({ state: 'available', since: T1 }));
  });

  it.each([available, notReady, wrapUp])('setNotReady: $state → notReady with the reason', (from) => {
    expect(applyPhoneEvent(from, { type: 'setNotReady', reason: 'Training' }, T1)).toEqual(state({ state: 'notReady', notReadyReason: 'Training', since: T1 }));
  });

  it('offerCall: available → ringing with the call, number masked, recording off unless the offer says on', () => {
    const offer = { callId: 'c9', direction: 'outbound', remoteNumber: '+15551234567', queue: 'support' } as const;
    expect(applyPhoneEvent(available, { type: 'offerCall', offer }, T1)).toEqual(
      state({
        state: 'ringing',
        since: T1,
        call: { callId: 'c9', direction: 'outbound', remoteNumberMasked: '+1••••••4567', queue: 'support', startedAt: T1, recording: 'off', supervisions: [] },
      }),
    );
    expect(applyPhoneEvent(available, { type: 'offerCall', offer: { ...offer, recording: 'on' } }, T1).call?.recording).toBe('on');
  });

  it('answer: ringing → talking, keeping the call', () => {
    expect(applyPhoneEvent(ringing, { type: 'answer' }, T1)).toEqual(state({ state: 'talking', since: T1, call }));
  });

  it('hold: talking → held; unhold: held → talking', () => {
    expect(applyPhoneEvent(talking, { type: 'hold' }, T1)).toEqual(state({ state: 'held', since: T1, call }));
    expect(applyPhoneEvent(held, { type: 'unhold' }, T1)).toEqual(state({ state: 'talking', since: T1, call }));
  });

  it.each([talking, held])('hangUp: $state → wrapUp, call cleared', (from) => {
    expect(applyPhoneEvent(from, { type: 'hangUp' }, T1)).toEqual(state({ state: 'wrapUp', since: T1 }));
  });

  it('hangUp while ringing (the caller abandoned): → available, nothing to wrap up', () => {
    expect(applyPhoneEvent(ringing, { type: 'hangUp' }, T1)).toEqual(state({ state: 'available', since: T1 }));
  });

  it('endWrapUp: wrapUp → available', () => {
    expect(applyPhoneEvent(wrapUp, { type: 'endWrapUp' }, T1)).toEqual(state({ state: 'available', since: T1 }));
  });

  it.each([talking, held])('takeOver: $state → wrapUp, the agent leaves the call', (from) => {
    expect(applyPhoneEvent(from, { type: 'takeOver' }, T1)).toEqual(state({ state: 'wrapUp', since: T1 }));
  });

  it('recording start/pause/resume changes the call only, not the state or its since', () => {
    const on = applyPhoneEvent(talking, { type: 'recording', change: 'start' }, T1);
    expect(on).toEqual(state({ state: 'talking', since: T0, call: { ...call, recording: 'on' } }));
    const paused = applyPhoneEvent(on, { type: 'recording', change: 'pause' }, T1);
    expect(paused.call?.recording).toBe('paused');
    const resumed = applyPhoneEvent({ ...paused, state: 'held' }, { type: 'recording', change: 'resume' }, T1);
    expect(resumed).toEqual(state({ state: 'held', since: T0, call: { ...call, recording: 'on' } }));
  });

  it('a recording the recorder could not write fails from on or paused; only a new start leaves failed', () => {
    const on = applyPhoneEvent(talking, { type: 'recording', change: 'start' }, T1);
    const failed = applyPhoneEvent(on, { type: 'recording', change: 'fail' }, T1);
    expect(failed).toEqual(state({ state: 'talking', since: T0, call: { ...call, recording: 'failed' } }));
    const paused = applyPhoneEvent(on, { type: 'recording', change: 'pause' }, T1);
    expect(applyPhoneEvent(paused, { type: 'recording', change: 'fail' }, T1).call?.recording).toBe('failed');
    expect(() => applyPhoneEvent(talking, { type: 'recording', change: 'fail' }, T1)).toThrow(
      'Cannot fail the recording: it is off (fail is allowed when it is on or paused)',
    );
    expect(() => applyPhoneEvent(failed, { type: 'recording', change: 'resume' }, T1)).toThrow(
      'Cannot resume the recording: it is failed (resume is allowed when it is paused)',
    );
    expect(applyPhoneEvent(failed, { type: 'recording', change: 'start' }, T1).call?.recording).toBe('on');
  });

  it('a full call: login, ready, offer, answer, hold, unhold, hang up, wrap up', () => {
    const events: PhoneEvent[] = [
      { type: 'login' },
      { type: 'setAvailable' },
      { type: 'offerCall', offer: { callId: 'c2', direction: 'inbound', remoteNumber: '5550100', queue: 'q' } },
      { type: 'answer' },
      { type: 'hold' },
      { type: 'unhold' },
      { type: 'hangUp' },
      { type: 'endWrapUp' },
      { type: 'logout' },
    ];
    const seen = events.reduce<{ s: AgentPhoneState; names: string[] }>(
      (acc, e, i) => {
        const s = applyPhoneEvent(acc.s, e, T0 + i);
        expect(s.since).toBe(T0 + i);
        return { s, names: [...acc.names, s.state] };
      },
      { s: loggedOutState(7, T0), names: [] },
    );
    expect(seen.names).toEqual(['notReady', 'available', 'ringing', 'talking', 'held', 'talking', 'wrapUp', 'available', 'loggedOut']);
  });
});

describe('applyPhoneEvent: refused transitions name the state and the event', () => {
  it.each<[AgentPhoneState, PhoneEvent, string]>([
    [available, { type: 'login' }, 'Cannot login while available (allowed while loggedOut)'],
    [loggedOut, { type: 'logout' }, 'Cannot logout while loggedOut (allowed while available or notReady or wrapUp)'],
    [talking, { type: 'logout' }, 'Cannot logout while talking (allowed while available or notReady or wrapUp)'],
    [available, { type: 'setAvailable' }, 'Cannot setAvailable while available (allowed while notReady or wrapUp)'],
    [ringing, { type: 'setNotReady', reason: 'x' }, 'Cannot setNotReady while ringing (allowed while available or notReady or wrapUp)'],
    [
      notReady,
      { type: 'offerCall', offer: { callId: 'c', direction: 'inbound', remoteNumber: '1', queue: 'q' } },
      'Cannot offerCall while notReady (allowed while available)',
    ],
    [talking, { type: 'answer' }, 'Cannot answer while talking (allowed while ringing)'],
    [ringing, { type: 'hold' }, 'Cannot hold while ringing (allowed while talking)'],
    [held, { type: 'hold' }, 'Cannot hold while held (allowed while talking)'],
    [talking, { type: 'unhold' }, 'Cannot unhold while talking (allowed while held)'],
    [wrapUp, { type: 'hangUp' }, 'Cannot hangUp while wrapUp (allowed while ringing or talking or held)'],
    [available, { type: 'endWrapUp' }, 'Cannot endWrapUp while available (allowed while wrapUp)'],
    [ringing, { type: 'takeOver' }, 'Cannot takeOver while ringing (allowed while talking or held)'],
    [wrapUp, { type: 'recording', change: 'start' }, 'Cannot start the recording while wrapUp (allowed while talking or held)'],
    [ringing, { type: 'recording', change: 'pause' }, 'Cannot pause the recording while ringing (allowed while talking or held)'],
  ])('%#: %j', (from, event, message) => {
    expect(refusal(from, event)).toEqual({ code: 'CONFLICT', message });
  });

  it.each<['start' | 'pause' | 'resume', 'off' | 'on' | 'paused', string]>([
    ['pause', 'off', 'Cannot pause the recording: it is off (pause is allowed when it is on)'],
    ['resume', 'off', 'Cannot resume the recording: it is off (resume is allowed when it is paused)'],
    ['start', 'on', 'Cannot start the recording: it is on (start is allowed when it is off or failed)'],
    ['resume', 'on', 'Cannot resume the recording: it is on (resume is allowed when it is paused)'],
    ['start', 'paused', 'Cannot start the recording: it is paused (start is allowed when it is off or failed)'],
    ['pause', 'paused', 'Cannot pause the recording: it is paused (pause is allowed when it is on)'],
  ])('recording %s when %s', (change, recording, message) => {
    expect(refusal({ ...talking, call: { ...call, recording } }, { type: 'recording', change })).toEqual({ code: 'CONFLICT', message });
  });
});

describe('helpers', () => {
  it('isOnCall: talking and held only', () => {
    expect([loggedOut, available, notReady, ringing, talking, held, wrapUp].map(isOnCall)).toEqual([false, false, false, false, true, true, false]);
  });

  it('withSupervisions replaces the call supervisions, keeps state and since; no call, no change', () => {
    const s = { sessionId: 's1', supervisorId: 2, supervisorName: 'Ann', mode: 'monitor', since: T1 } as const;
    expect(withSupervisions(talking, [s])).toEqual(state({ state: 'talking', since: T0, call: { ...call, supervisions: [s] } }));
    expect(withSupervisions(wrapUp, [s])).toBe(wrapUp);
  });

  it('handOverCall: the agent goes to wrap-up and the call lives on with the take-over session', () => {
    const out = handOverCall({ ...held, call: { ...call, recording: 'on' } }, { sessionId: 's1', supervisorId: 2 }, T1);
    expect(out).toEqual({
      agent: state({ state: 'wrapUp', since: T1 }),
      takenOver: { call: { ...call, recording: 'on' }, agentId: 7, sessionId: 's1', supervisorId: 2, since: T1 },
    });
    expect(applyRecordingToTakenOverCall(out.takenOver, 'pause').call.recording).toBe('paused');
    expect(() => handOverCall(ringing, { sessionId: 's1', supervisorId: 2 }, T1)).toThrow('Cannot takeOver while ringing (allowed while talking or held)');
  });
});
