import type { AgentPhoneState, Call, HelpRequestView, PlatformCapabilities, SupervisionNotice } from '@earshot/shared';
import { describe, expect, it } from 'vitest';
import {
  INITIAL_AGENT_STATE,
  offersCallControl,
  offersRecording,
  withHelp,
  withPhone,
  withRecordingNotice,
  withResync,
  withSupervisionNotice,
} from './agentState.js';

const EVERY_CAPABILITY: PlatformCapabilities = {
  name: 'simulator',
  modes: ['monitor', 'coach', 'barge', 'takeOver'],
  recording: true,
  agentControls: ['answer', 'hold', 'unhold', 'hangUp'],
};
const call = (callId: string): Call => ({
  callId,
  direction: 'inbound',
  remoteNumberMasked: '+1••••1234',
  queue: 'Billing',
  startedAt: 0,
  recording: 'on',
  supervisions: [],
});
const talking = (c: Call | null): AgentPhoneState => ({ userId: 7, state: c ? 'talking' : 'wrapUp', notReadyReason: null, since: 0, call: c });
const notice = (sessionId: string, patch: Partial<SupervisionNotice> = {}): SupervisionNotice => ({
  sessionId,
  callId: 'a',
  supervisor: { id: 3, name: 'Ava Hill' },
  mode: 'monitor',
  phase: 'started',
  reason: null,
  at: 0,
  ...patch,
});

describe('agent state', () => {
  it('keeps one entry per session, in start order: a change replaces it in place, an end removes it', () => {
    let s = withSupervisionNotice(INITIAL_AGENT_STATE, notice('s1'));
    s = withSupervisionNotice(s, notice('s2', { mode: 'coach' }));
    s = withSupervisionNotice(s, notice('s1', { phase: 'changed', mode: 'barge' }));
    expect(s.supervisions.map((n) => `${n.sessionId}:${n.mode}`)).toEqual(['s1:barge', 's2:coach']);
    s = withSupervisionNotice(s, notice('s1', { phase: 'ended', reason: 'stopped' }));
    expect(s.supervisions.map((n) => n.sessionId)).toEqual(['s2']);
  });

  it('leaves a take-over notice up when the call leaves the phone: it stays until its session ends', () => {
    const s = withPhone(withSupervisionNotice(INITIAL_AGENT_STATE, notice('s1', { mode: 'takeOver' })), talking(null));
    expect(s.supervisions.map((n) => n.mode)).toEqual(['takeOver']);
  });

  it('a resync replaces phone and sessions; sessions are dropped when notifications are off', () => {
    const before = withSupervisionNotice(withPhone(INITIAL_AGENT_STATE, talking(call('a'))), notice('gone'));
    const after = withResync(before, {
      phone: talking(call('a')),
      supervisions: [notice('s9', { mode: 'coach' })],
      notificationsEnabled: true,
      help: null,
      platform: EVERY_CAPABILITY,
    });
    expect(after).toMatchObject({ connection: 'connected', supervisions: [{ sessionId: 's9', mode: 'coach' }], notificationsEnabled: true });
    const off = withResync(before, {
      phone: talking(call('a')),
      supervisions: [notice('s9')],
      notificationsEnabled: false,
      help: null,
      platform: EVERY_CAPABILITY,
    });
    expect(off.supervisions).toEqual([]);
  });

  it('forgets the recording notice of a call that is no longer on the phone', () => {
    const s = withRecordingNotice(withPhone(INITIAL_AGENT_STATE, talking(call('a'))), { callId: 'a', state: 'paused', by: null, at: 0 });
    expect(withPhone(s, talking(call('a'))).recording).toMatchObject({ callId: 'a', state: 'paused' });
    expect(withPhone(s, talking(call('b'))).recording).toBeNull();
  });

  it("keeps only the agent's own help requests", () => {
    const help = (agentId: number): HelpRequestView => ({
      helpId: `h${agentId}`,
      agent: { id: agentId, name: 'X' },
      callId: null,
      message: null,
      raisedAt: 0,
      acknowledgedBy: null,
      acknowledgedAt: null,
      endedAt: null,
      endReason: null,
    });
    expect(withHelp(INITIAL_AGENT_STATE, help(8), 7)).toBe(INITIAL_AGENT_STATE);
    expect(withHelp(INITIAL_AGENT_STATE, help(7), 7).help?.helpId).toBe('h7');
  });

  it('after a resync, a request the server no longer holds is gone; an end already seen stays to say why', () => {
    const open: HelpRequestView = {
      helpId: 'h7',
      agent: { id: 7, name: 'X' },
      callId: null,
      message: null,
      raisedAt: 0,
      acknowledgedBy: { id: 3, name: 'Ava' },
      acknowledgedAt: 5,
      endedAt: null,
      endReason: null,
    };
    const resync = { phone: talking(call('a')), supervisions: [], notificationsEnabled: true, help: null, platform: EVERY_CAPABILITY };
    expect(withResync({ ...INITIAL_AGENT_STATE, help: open }, resync).help).toBeNull();
    const ended = { ...open, endedAt: 9, endReason: 'cancelled' as const };
    expect(withResync({ ...INITIAL_AGENT_STATE, help: ended }, resync).help).toBe(ended);
    expect(withResync({ ...INITIAL_AGENT_STATE, help: ended }, { ...resync, help: open }).help).toBe(open);
  });

  it('a resync brings what the telephony carries: only those call controls are offered', () => {
    const pbx: PlatformCapabilities = { name: 'pbx', modes: ['monitor'], recording: false, agentControls: ['hangUp'] };
    expect(offersCallControl(INITIAL_AGENT_STATE, 'hold')).toBe(true);
    const s = withResync(INITIAL_AGENT_STATE, { phone: talking(call('a')), supervisions: [], notificationsEnabled: true, help: null, platform: pbx });
    expect(s.platform).toEqual(pbx);
    expect((['answer', 'hold', 'unhold', 'hangUp'] as const).filter((c) => offersCallControl(s, c))).toEqual(['hangUp']);
    expect(offersRecording(s)).toBe(false);
  });
});
