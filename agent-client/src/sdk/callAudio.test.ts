import type { AgentPhoneState, Call } from '@earshot/shared';
import { describe, expect, it } from 'vitest';
import { testCall } from './testing/testCall.js';
import { callAudioChanges } from './callAudio.js';

const call = testCall;
const phone = (state: AgentPhoneState['state'], c: Call | null): AgentPhoneState => ({ userId: 7, state, notReadyReason: null, since: 0, call: c });

describe('callAudioChanges', () => {
  it('connects on answer, not while ringing; holding keeps the stream', () => {
    expect(callAudioChanges(phone('available', null), phone('ringing', call('a')))).toEqual([]);
    expect(callAudioChanges(phone('ringing', call('a')), phone('talking', call('a')))).toEqual([{ type: 'connected', call: call('a') }]);
    expect(callAudioChanges(phone('talking', call('a')), phone('held', call('a')))).toEqual([]);
  });

  it('ends when the call leaves the phone (hang-up, take-over)', () => {
    expect(callAudioChanges(phone('held', call('a')), phone('wrapUp', null))).toEqual([{ type: 'ended', callId: 'a' }]);
  });

  it('a resync onto another call ends the old one first', () => {
    expect(callAudioChanges(phone('talking', call('a')), phone('talking', call('b')))).toEqual([
      { type: 'ended', callId: 'a' },
      { type: 'connected', call: call('b') },
    ]);
    expect(callAudioChanges(null, phone('talking', call('b')))).toEqual([{ type: 'connected', call: call('b') }]);
  });
});
