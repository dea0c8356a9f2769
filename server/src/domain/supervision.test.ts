import type { AgentPhoneState, RightId, SupervisionMode } from '@earshot/shared';
import { describe, expect, it } from 'vitest';
import { ActionError } from './actionError.js';
import { agentReceivesNotice, recordingNotice, resyncSupervisionNotices, supervisionNotice } from './noticePolicy.js';
import {
  addsListeners,
  endsTheCall,
  rightForMode,
  sessionsToRevoke,
  standingOf,
  SupervisionRegistry,
  type SessionStanding,
  type SupervisionEvent,
  type SupervisionSession,
} from './supervision.js';

const T0 = 1_700_000_000_000;
const T1 = T0 + 1_000;
const T2 = T0 + 2_000;

const ann = { id: 2, name: 'Ann' };
const bob = { id: 3, name: 'Bob' };
const cyd = { id: 4, name: 'Cyd' };
const dan = { id: 5, name: 'Dan' };

function agentOnCall(userId: number, callId: string, state: AgentPhoneState['state'] = 'talking'): AgentPhoneState {
  return {
    userId,
    state,
    notReadyReason: null,
    since: T0,
    call: { callId, direction: 'inbound', remoteNumberMasked: '••••', queue: 'q', startedAt: T0, recording: 'on', supervisions: [] },
  };
}
const agent7 = agentOnCall(7, 'c1');
const agent8 = agentOnCall(8, 'c2');

function refusal(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (e) {
    if (e instanceof ActionError) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected a refusal');
}

const session = (
  sessionId: string,
  supervisor: { id: number; name: string },
  mode: SupervisionMode,
  at = T0,
  callId = 'c1',
  agentId = 7,
): SupervisionSession => ({ sessionId, callId, agentId, supervisor, mode, startedAt: at, modeSince: at });

const ends = (events: SupervisionEvent[]) =>
  events.map((e) => (e.phase === 'ended' ? `${e.session.sessionId}:${e.reason}` : `${e.session.sessionId}:${e.phase}`));

describe('rightForMode', () => {
  it('maps each mode to its right', () => {
    expect((['monitor', 'coach', 'barge', 'takeOver'] as const).map(rightForMode)).toEqual(['live.monitor', 'live.coach', 'live.barge', 'live.takeOver']);
  });
});

describe('start', () => {
  it('starts a session on the agent current call and returns one started event', () => {
    const r = new SupervisionRegistry();
    expect(r.start({ sessionId: 's1', supervisor: ann, mode: 'monitor' }, agentOnCall(7, 'c1', 'held'), T1)).toEqual([
      { phase: 'started', session: session('s1', ann, 'monitor', T1), at: T1 },
    ]);
    expect(r.summaries('c1')).toEqual([{ sessionId: 's1', supervisorId: 2, supervisorName: 'Ann', mode: 'monitor', since: T1 }]);
  });

  it('refuses one own call (FORBIDDEN)', () => {
    const r = new SupervisionRegistry();
    expect(refusal(() => r.start({ sessionId: 's1', supervisor: { id: 7, name: 'Eve' }, mode: 'monitor' }, agent7, T1))).toEqual({
      code: 'FORBIDDEN',
      message: 'You cannot supervise your own call',
    });
  });

  it.each(['loggedOut', 'available', 'notReady', 'ringing', 'wrapUp'] as const)('refuses an agent who is %s (CONFLICT)', (state) => {
    const r = new SupervisionRegistry();
    const agent: AgentPhoneState = { ...agentOnCall(7, 'c1'), state, call: state === 'ringing' ? agent7.call : null };
    expect(refusal(() => r.start({ sessionId: 's1', supervisor: ann, mode: 'monitor' }, agent, T1))).toEqual({
      code: 'CONFLICT',
      message: `User 7 is not on a call (${state})`,
    });
  });

  it('refuses a second session of the same supervisor on the call, naming the existing one', () => {
    const r = new SupervisionRegistry();
    r.start({ sessionId: 's1', supervisor: ann, mode: 'coach' }, agent7, T0);
    expect(refusal(() => r.start({ sessionId: 's2', supervisor: ann, mode: 'monitor' }, agent7, T1))).toEqual({
      code: 'CONFLICT',
      message: 'You already supervise this call (coach, session s1): change its mode instead',
    });
  });

  it('refuses a reused session id', () => {
    const r = new SupervisionRegistry();
    r.start({ sessionId: 's1', supervisor: ann, mode: 'monitor' }, agent7, T0);
    expect(refusal(() => r.start({ sessionId: 's1', supervisor: bob, mode: 'monitor' }, agent8, T1))).toEqual({
      code: 'CONFLICT',
      message: 'Session s1 already exists',
    });
  });

  it.each<[SupervisionMode, SupervisionMode]>([
    ['coach', 'coach'],
    ['coach', 'barge'],
    ['barge', 'coach'],
    ['barge', 'barge'],
    ['takeOver', 'takeOver'],
    ['takeOver', 'coach'],
    ['coach', 'takeOver'],
    ['barge', 'takeOver'],
  ])('one voice at a time: %s holds, %s is refused naming the holder', (held, wanted) => {
    const r = new SupervisionRegistry();
    r.start({ sessionId: 's1', supervisor: ann, mode: held }, agent7, T0);
    expect(refusal(() => r.start({ sessionId: 's2', supervisor: bob, mode: wanted }, agent7, T1))).toEqual({
      code: 'CONFLICT',
      message: `Ann (${held}) already holds this call: one supervisor at a time may coach, barge or take over`,
    });
  });

  it('monitors join a speaking supervisor; a voice on another call does not count', () => {
    const r = new SupervisionRegistry();
    r.start({ sessionId: 's1', supervisor: ann, mode: 'barge' }, agent7, T0);
    r.start({ sessionId: 's2', supervisor: bob, mode: 'monitor' }, agent7, T0);
    expect(ends(r.start({ sessionId: 's3', supervisor: cyd, mode: 'coach' }, agent8, T1))).toEqual(['s3:started']);
  });

  it('refuses beyond the cap, naming who holds the call', () => {
    const r = new SupervisionRegistry({ maxSupervisorsPerCall: 2 });
    r.start({ sessionId: 's1', supervisor: ann, mode: 'monitor' }, agent7, T0);
    r.start({ sessionId: 's2', supervisor: bob, mode: 'coach' }, agent7, T0);
    expect(refusal(() => r.start({ sessionId: 's3', supervisor: cyd, mode: 'monitor' }, agent7, T1))).toEqual({
      code: 'CONFLICT',
      message: 'This call already has 2 supervisors, the most allowed: Ann (monitor), Bob (coach)',
    });
  });

  it('defaults the cap to 3', () => {
    const r = new SupervisionRegistry();
    for (const [i, s] of [ann, bob, cyd].entries()) r.start({ sessionId: `s${i}`, supervisor: s, mode: 'monitor' }, agent7, T0);
    expect(refusal(() => r.start({ sessionId: 's9', supervisor: dan, mode: 'monitor' }, agent7, T1)).message).toBe(
      'This call already has 3 supervisors, the most allowed: Ann (monitor), Bob (monitor), Cyd (monitor)',
    );
  });
});

describe('changeMode', () => {
  it('changes the mode, resets its since, and reports the previous mode', () => {
    const r = new SupervisionRegistry();
    r.start({ sessionId: 's1', supervisor: ann, mode: 'monitor' }, agent7, T0);
    expect(r.changeMode('s1', 'barge', 2, T1)).toEqual([
      { phase: 'changed', session: { ...session('s1', ann, 'barge'), modeSince: T1 }, previousMode: 'monitor', at: T1 },
    ]);
    expect(r.summaries('c1')).toEqual([{ sessionId: 's1', supervisorId: 2, supervisorName: 'Ann', mode: 'barge', since: T1 }]);
  });

  it('the same mode again is no change', () => {
    const r = new SupervisionRegistry();
    r.start({ sessionId: 's1', supervisor: ann, mode: 'coach' }, agent7, T0);
    expect(r.changeMode('s1', 'coach', 2, T1)).toEqual([]);
  });

  it('a speaking supervisor may move between coach and barge while others monitor', () => {
    const r = new SupervisionRegistry();
    r.start({ sessionId: 's1', supervisor: ann, mode: 'coach' }, agent7, T0);
    r.start({ sessionId: 's2', supervisor: bob, mode: 'monitor' }, agent7, T0);
    expect(ends(r.changeMode('s1', 'barge', 2, T1))).toEqual(['s1:changed']);
    expect(ends(r.changeMode('s1', 'takeOver', 2, T1))).toEqual(['s1:changed']);
  });

  it('refuses a voice mode held by another, naming the holder', () => {
    const r = new SupervisionRegistry();
    r.start({ sessionId: 's1', supervisor: ann, mode: 'coach' }, agent7, T0);
    r.start({ sessionId: 's2', supervisor: bob, mode: 'monitor' }, agent7, T0);
    expect(refusal(() => r.changeMode('s2', 'barge', 3, T1))).toEqual({
      code: 'CONFLICT',
      message: 'Ann (coach) already holds this call: one supervisor at a time may coach, barge or take over',
    });
  });

  it('checkModeChange refuses what changeMode would refuse and changes nothing', () => {
    const r = new SupervisionRegistry();
    r.start({ sessionId: 's1', supervisor: ann, mode: 'coach' }, agent7, T0);
    r.start({ sessionId: 's2', supervisor: bob, mode: 'monitor' }, agent7, T0);
    expect(refusal(() => r.checkModeChange('s2', 'barge', 3))).toEqual({
      code: 'CONFLICT',
      message: 'Ann (coach) already holds this call: one supervisor at a time may coach, barge or take over',
    });
    expect([r.checkModeChange('s2', 'monitor', 3), r.checkModeChange('s1', 'barge', 2)]).toEqual([false, true]);
    expect(r.get('s1')!.mode).toBe('coach');
  });

  it('a take-over cannot change mode', () => {
    const r = new SupervisionRegistry();
    r.start({ sessionId: 's1', supervisor: ann, mode: 'takeOver' }, agent7, T0);
    expect(refusal(() => r.changeMode('s1', 'monitor', 2, T1))).toEqual({
      code: 'CONFLICT',
      message: 'A take-over cannot change mode: the agent has left the call (stop it to end the call)',
    });
  });

  it('only on one own session, and only an existing one', () => {
    const r = new SupervisionRegistry();
    r.start({ sessionId: 's1', supervisor: ann, mode: 'monitor' }, agent7, T0);
    expect(refusal(() => r.changeMode('s1', 'coach', 3, T1))).toEqual({ code: 'FORBIDDEN', message: 'Session s1 belongs to Ann' });
    expect(refusal(() => r.changeMode('nope', 'coach', 2, T1))).toEqual({ code: 'NOT_FOUND', message: 'No supervision session nope' });
    expect(refusal(() => r.stop('s1', 3, T1))).toEqual({ code: 'FORBIDDEN', message: 'Session s1 belongs to Ann' });
    expect(refusal(() => r.stop('nope', 2, T1))).toEqual({ code: 'NOT_FOUND', message: 'No supervision session nope' });
  });
});

describe('a change the platform could not carry out', () => {
  it('addsListeners: monitor→coach→barge→take over add listeners; the way back does not', () => {
    const modes: SupervisionMode[] = ['monitor', 'coach', 'barge', 'takeOver'];
    const upgrades = modes.flatMap((from) => modes.filter((to) => addsListeners(from, to)).map((to) => `${from}→${to}`));
    expect(upgrades).toEqual(['monitor→coach', 'monitor→barge', 'monitor→takeOver', 'coach→barge', 'coach→takeOver', 'barge→takeOver']);
  });

  it('restoreMode puts the session back, even from a take-over, and tells what changed', () => {
    const r = new SupervisionRegistry();
    r.start({ sessionId: 's1', supervisor: ann, mode: 'barge' }, agent7, T0);
    r.changeMode('s1', 'takeOver', 2, T1);
    const back = r.restoreMode('s1', 'barge', T2);
    expect(back).toEqual([{ phase: 'changed', session: { ...r.get('s1')!, mode: 'barge', modeSince: T2 }, previousMode: 'takeOver', at: T2 }]);
    expect(r.get('s1')!.mode).toBe('barge');
    expect([r.restoreMode('s1', 'barge', T2), r.restoreMode('gone', 'monitor', T2)]).toEqual([[], []]);
  });
});

describe('ends', () => {
  function floor() {
    const r = new SupervisionRegistry();
    r.start({ sessionId: 'a1', supervisor: ann, mode: 'coach' }, agent7, T0);
    r.start({ sessionId: 'b1', supervisor: bob, mode: 'monitor' }, agent7, T0);
    r.start({ sessionId: 'a2', supervisor: ann, mode: 'monitor' }, agent8, T0);
    return r;
  }

  it('stop ends the session with reason stopped; ending it again gives nothing', () => {
    const r = floor();
    expect(r.stop('a1', 2, T1)).toEqual([{ phase: 'ended', session: session('a1', ann, 'coach'), reason: 'stopped', at: T1 }]);
    expect(r.end('a1', 'stopped', T2)).toEqual([]);
    expect(r.all().map((s) => s.sessionId)).toEqual(['b1', 'a2']);
  });

  it('call end ends every session on that call', () => {
    const r = floor();
    expect(ends(r.endAllForCall('c1', 'call-ended', T1))).toEqual(['a1:call-ended', 'b1:call-ended']);
    expect(r.all().map((s) => s.sessionId)).toEqual(['a2']);
  });

  it('supervisor disconnect ends all of that supervisor sessions', () => {
    const r = floor();
    expect(ends(r.endAllForSupervisor(2, 'supervisor-disconnected', T1))).toEqual(['a1:supervisor-disconnected', 'a2:supervisor-disconnected']);
  });

  it('agent disconnect ends the sessions on that agent call', () => {
    const r = floor();
    expect(ends(r.endAllForAgent(7, 'agent-disconnected', T1))).toEqual(['a1:agent-disconnected', 'b1:agent-disconnected']);
  });

  it('the end of a take-over ends the call: the other sessions end taken-over-ended', () => {
    const r = new SupervisionRegistry();
    r.start({ sessionId: 'b1', supervisor: bob, mode: 'monitor' }, agent7, T0);
    r.start({ sessionId: 'a1', supervisor: ann, mode: 'takeOver' }, agent7, T0);
    const events = r.stop('a1', 2, T1);
    expect(ends(events)).toEqual(['a1:stopped', 'b1:taken-over-ended']);
    expect(events.map(endsTheCall)).toEqual([true, false]);
    expect(r.all()).toEqual([]);
  });

  it('a take-over that ends with the call does not end it again', () => {
    const r = new SupervisionRegistry();
    r.start({ sessionId: 'a1', supervisor: ann, mode: 'takeOver' }, agent7, T0);
    r.start({ sessionId: 'b1', supervisor: bob, mode: 'monitor' }, agent7, T0);
    const events = r.endAllForCall('c1', 'call-ended', T1);
    expect(ends(events)).toEqual(['a1:call-ended', 'b1:call-ended']);
    expect(events.some(endsTheCall)).toBe(false);
  });

  it('a take-over the telephony platform refused never had the call: its end leaves the call and the other sessions alone', () => {
    const r = new SupervisionRegistry();
    r.start({ sessionId: 'b1', supervisor: bob, mode: 'monitor' }, agent7, T0);
    r.start({ sessionId: 'a1', supervisor: ann, mode: 'takeOver' }, agent7, T0);
    const events = r.end('a1', 'platform-refused', T1);
    expect(ends(events)).toEqual(['a1:platform-refused']);
    expect(events.some(endsTheCall)).toBe(false);
    expect(r.all().map((s) => s.sessionId)).toEqual(['b1']);
  });

  it('agent disconnect leaves a taken-over call alone (the agent has left it)', () => {
    const r = new SupervisionRegistry();
    r.start({ sessionId: 'a1', supervisor: ann, mode: 'takeOver' }, agent7, T0);
    r.start({ sessionId: 'b1', supervisor: bob, mode: 'monitor' }, agent7, T0);
    r.start({ sessionId: 'c1', supervisor: cyd, mode: 'monitor' }, agent8, T0);
    expect(ends(r.endAllForAgent(7, 'agent-disconnected', T1))).toEqual([]);
    expect(ends(r.endAllForAgent(8, 'agent-disconnected', T1))).toEqual(['c1:agent-disconnected']);
  });
});

describe('rule 7: sessions lost with a right or with scope', () => {
  it('sessionsToRevoke lists the sessions the supervisor may no longer hold, with the reason', () => {
    const sessions = [session('a1', ann, 'coach'), session('b1', bob, 'monitor'), session('c1', cyd, 'monitor', T0, 'c2', 8)];
    const canStill = (s: SupervisionSession): SessionStanding => (s.supervisor.id === 2 ? 'rights-revoked' : s.agentId === 8 ? 'out-of-scope' : 'ok');
    expect(sessionsToRevoke(sessions, canStill)).toEqual([
      { session: sessions[0], reason: 'rights-revoked' },
      { session: sessions[2], reason: 'out-of-scope' },
    ]);
  });

  it('standingOf reads an access decision', () => {
    expect(standingOf({ allowed: true })).toBe('ok');
    expect(standingOf({ allowed: false, code: 'FORBIDDEN', message: '' })).toBe('rights-revoked');
    expect(standingOf({ allowed: false, code: 'OUT_OF_SCOPE', message: '' })).toBe('out-of-scope');
  });

  it('endRevoked ends them; a revoked take-over takes its call (and the sessions on it) down', () => {
    const r = new SupervisionRegistry();
    r.start({ sessionId: 'a1', supervisor: ann, mode: 'takeOver' }, agent7, T0);
    r.start({ sessionId: 'b1', supervisor: bob, mode: 'monitor' }, agent7, T0);
    r.start({ sessionId: 'b2', supervisor: bob, mode: 'coach' }, agent8, T0);
    const events = r.endRevoked((s) => (s.supervisor.id === 2 ? 'rights-revoked' : s.mode === 'coach' ? 'out-of-scope' : 'ok'), T1);
    expect(ends(events)).toEqual(['a1:rights-revoked', 'b1:taken-over-ended', 'b2:out-of-scope']);
    expect(r.all()).toEqual([]);
  });
});

describe('notice policy', () => {
  it('supervision notices follow the agent own live.notifications; recording notices always', () => {
    const agent = new Set<RightId>(['calls.handle', 'live.notifications']);
    const quiet = new Set<RightId>(['calls.handle']);
    expect(agentReceivesNotice('supervision', agent)).toBe(true);
    expect(agentReceivesNotice('supervision', quiet)).toBe(false);
    expect(agentReceivesNotice('recording', quiet)).toBe(true);
  });

  it('builds notices: started, changed, ended with its reason', () => {
    const r = new SupervisionRegistry();
    const [started] = r.start({ sessionId: 's1', supervisor: ann, mode: 'monitor' }, agent7, T0);
    const [changed] = r.changeMode('s1', 'coach', 2, T1);
    const [ended] = r.stop('s1', 2, T2);
    expect([started!, changed!, ended!].map(supervisionNotice)).toEqual([
      { sessionId: 's1', callId: 'c1', supervisor: { id: 2, name: 'Ann' }, mode: 'monitor', phase: 'started', reason: null, at: T0 },
      { sessionId: 's1', callId: 'c1', supervisor: { id: 2, name: 'Ann' }, mode: 'coach', phase: 'changed', reason: null, at: T1 },
      { sessionId: 's1', callId: 'c1', supervisor: { id: 2, name: 'Ann' }, mode: 'coach', phase: 'ended', reason: 'stopped', at: T2 },
    ]);
  });

  it('a resync gives a started notice per active session, as of its mode', () => {
    expect(resyncSupervisionNotices([{ ...session('s1', ann, 'barge'), modeSince: T1 }])).toEqual([
      { sessionId: 's1', callId: 'c1', supervisor: { id: 2, name: 'Ann' }, mode: 'barge', phase: 'started', reason: null, at: T1 },
    ]);
  });

  it('recording notice', () => {
    expect(recordingNotice('c1', 'paused', ann, T1)).toEqual({ callId: 'c1', state: 'paused', by: { id: 2, name: 'Ann' }, at: T1 });
    expect(recordingNotice('c1', 'on', null, T1)).toEqual({ callId: 'c1', state: 'on', by: null, at: T1 });
  });
});
