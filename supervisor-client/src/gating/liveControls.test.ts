import { describe, expect, it } from 'vitest';
import { call, custom, entry, rightsOf, session, trainerRights, withoutRight } from '../testing/fixtures';
import type { PlatformCapabilities } from '@earshot/shared';
import { agentControls, platformNote, recordingControls, sessionControls, type LiveControl } from './liveControls';

const labels = (controls: LiveControl[]) => controls.map((c) => c.label);
const talking = entry(7, 'Ben Baker', 'talking', { call: call({ callId: 'call-7' }) });

describe('agentControls: one control per right held, none for a right not held', () => {
  it('a Manager gets Monitor, Coach, Barge and Record on a call, but no Take over (the seed table)', () => {
    const controls = agentControls(rightsOf('manager'), talking, [], null);
    expect(labels(controls)).toEqual(['Monitor', 'Coach', 'Barge', 'Record']);
    expect(controls.every((c) => c.enabled && c.reason === null)).toBe(true);
  });

  it('an Administrator gets every mode, Take over included', () => {
    expect(labels(agentControls(rightsOf('administrator'), talking, [], null))).toEqual(['Monitor', 'Coach', 'Barge', 'Take over', 'Record']);
  });

  it('the Trainer (Monitor and Coach) never sees Barge or Take over, nor Record', () => {
    expect(labels(agentControls(trainerRights(), talking, [], null))).toEqual(['Monitor', 'Coach']);
  });

  it('the Agent profile gets no Monitor ("Launch Supervisor" needs Live Monitor), only its recording rights', () => {
    const agent = rightsOf('agent', 7);
    const own = entry(7, 'Ava Adams', 'talking', { call: call({ callId: 'call-own' }) });
    expect(labels(agentControls(agent, own, [], null))).toEqual(['Record']);
  });

  it('losing Barge removes the Barge control and nothing else', () => {
    expect(labels(agentControls(withoutRight(rightsOf('manager'), 'live.barge'), talking, [], null))).toEqual(['Monitor', 'Coach', 'Record']);
  });

  it('without the phone view no control is offered at all (rule 5: live control needs the phone view)', () => {
    expect(agentControls(withoutRight(rightsOf('administrator'), 'phoneState.view'), talking, [], null)).toEqual([]);
  });

  it('an agent not on a call: the controls held are shown disabled, saying why', () => {
    const available = entry(8, 'Chloe Cruz', 'available');
    const controls = agentControls(rightsOf('manager'), available, [], null);
    expect(labels(controls)).toEqual(['Monitor', 'Coach', 'Barge', 'Record']);
    expect(controls.map((c) => [c.enabled, c.reason])).toEqual([
      [false, 'Chloe Cruz is not on a call'],
      [false, 'Chloe Cruz is not on a call'],
      [false, 'Chloe Cruz is not on a call'],
      [false, 'Chloe Cruz is not on a call'],
    ]);
  });

  it('a ringing call cannot be supervised yet', () => {
    const ringing = entry(8, 'Chloe Cruz', 'ringing');
    expect(
      agentControls(rightsOf('manager'), ringing, [], null)
        .filter((c) => c.kind === 'supervise')
        .map((c) => c.reason),
    ).toEqual(['Chloe Cruz is not on a call', 'Chloe Cruz is not on a call', 'Chloe Cruz is not on a call']);
  });

  it('a held call can be supervised', () => {
    const held = entry(8, 'Chloe Cruz', 'held');
    expect(agentControls(rightsOf('manager'), held, [], null).every((c) => c.enabled)).toBe(true);
  });

  it("the user's own call cannot be supervised (architecture.md: not the actor's own call)", () => {
    const me = rightsOf('administrator', 7);
    const supervise = agentControls(me, talking, [], null).filter((c) => c.kind === 'supervise');
    expect(supervise.map((c) => [c.enabled, c.reason])).toEqual(Array(4).fill([false, 'You cannot supervise your own call']));
  });

  it('a call the user already supervises: start is disabled, the session panel switches instead', () => {
    const mine = [session({ callId: 'call-7', agentId: 7 })];
    const supervise = agentControls(rightsOf('manager'), talking, mine, null).filter((c) => c.kind === 'supervise');
    expect(supervise.map((c) => c.enabled)).toEqual([false, false, false]);
    expect(supervise[0]!.reason).toBe('You already supervise this call: change its mode below');
  });
});

describe('recordingControls: Initiate starts, Pause pauses and resumes', () => {
  it('offers the one control that fits the recording state', () => {
    const manager = rightsOf('manager');
    expect(labels(recordingControls(manager, call({ recording: 'off' }), null))).toEqual(['Record']);
    expect(labels(recordingControls(manager, call({ recording: 'on' }), null))).toEqual(['Pause recording', 'Stop recording']);
    expect(labels(recordingControls(manager, call({ recording: 'paused' }), null))).toEqual(['Resume recording', 'Stop recording']);
    // A recording the server could not write: nothing to pause or stop, it may be started again.
    expect(labels(recordingControls(manager, call({ recording: 'failed' }), null))).toEqual(['Record']);
  });

  it('Initiate User Recording alone starts and stops but cannot pause; Pause User Recording alone cannot start or stop', () => {
    expect(labels(recordingControls(custom(['phoneState.view', 'recording.initiate']), call({ recording: 'on' }), null))).toEqual(['Stop recording']);
    expect(labels(recordingControls(custom(['phoneState.view', 'recording.pause']), call({ recording: 'off' }), null))).toEqual([]);
    expect(labels(recordingControls(custom(['phoneState.view', 'recording.pause']), call({ recording: 'paused' }), null))).toEqual(['Resume recording']);
  });

  it('a Trainer, without either right, gets none', () => {
    expect(recordingControls(trainerRights(), call({ recording: 'on' }), null)).toEqual([]);
  });
});

describe('sessionControls: switch to each other mode held; stop', () => {
  it('a Manager monitoring may switch to Coach or Barge', () => {
    expect(sessionControls(rightsOf('manager'), { mode: 'monitor' }, null)).toEqual({ switchTo: ['coach', 'barge'], stopLabel: 'Stop', switchNote: null });
  });

  it('a Trainer coaching may only go back to Monitor: never Barge (the escalation the server refuses too)', () => {
    expect(sessionControls(trainerRights(), { mode: 'coach' }, null).switchTo).toEqual(['monitor']);
  });

  it('a Manager who lost Barge no longer sees it as a switch', () => {
    expect(sessionControls(withoutRight(rightsOf('manager'), 'live.barge'), { mode: 'coach' }, null).switchTo).toEqual(['monitor']);
  });

  it('a take-over cannot change mode, and stopping it ends the call', () => {
    expect(sessionControls(rightsOf('administrator'), { mode: 'takeOver' }, null)).toEqual({
      switchTo: [],
      stopLabel: 'End call',
      switchNote: 'A taken-over call cannot change mode',
    });
  });
});

describe('the telephony platform: what it does not carry is not offered, and the note says why', () => {
  const noTakeOver: PlatformCapabilities = { name: 'pbx', modes: ['monitor', 'coach', 'barge'], recording: true, agentControls: ['hangUp'] };
  const listenOnly: PlatformCapabilities = { name: 'pbx', modes: ['monitor'], recording: false, agentControls: [] };

  it('an Administrator on a platform without take over gets every other mode and Record', () => {
    expect(labels(agentControls(rightsOf('administrator'), talking, [], noTakeOver))).toEqual(['Monitor', 'Coach', 'Barge', 'Record']);
    expect(platformNote(rightsOf('administrator'), noTakeOver)).toBe('Take over is not offered: the telephony platform (pbx) does not carry it');
  });

  it('a platform that carries only monitoring offers Monitor alone, no recording control, and no switch', () => {
    expect(labels(agentControls(rightsOf('administrator'), talking, [], listenOnly))).toEqual(['Monitor']);
    expect(recordingControls(rightsOf('manager'), call({ recording: 'on' }), listenOnly)).toEqual([]);
    expect(sessionControls(rightsOf('manager'), { mode: 'monitor' }, listenOnly).switchTo).toEqual([]);
    expect(platformNote(rightsOf('administrator'), listenOnly)).toBe(
      'Coach, Barge, Take over and Recording are not offered: the telephony platform (pbx) does not carry them',
    );
  });

  it('names only what the user holds: a Manager (no Take over right) has nothing held back on a platform without take over', () => {
    expect(platformNote(rightsOf('manager'), noTakeOver)).toBeNull();
    expect(sessionControls(rightsOf('administrator'), { mode: 'monitor' }, noTakeOver).switchTo).toEqual(['coach', 'barge']);
  });
});
