import {
  SUPERVISION_MODES,
  type BoardEntry,
  type Call,
  type MeRights,
  type PlatformCapabilities,
  type RightId,
  type SupervisionMode,
  type SupervisionSessionView,
} from '@earshot/shared';

/**
 * Which live controls a user sees and may press. A control the user holds no right to is not returned at
 * all (issue 5: "a control the user has no right to is not shown"); a control they hold but cannot use
 * now (no call, their own call, already supervising) is returned disabled with the reason. The server
 * decides again on every press: this only keeps the screen honest.
 *
 * The telephony platform behind the server may not carry every mode or recording (docs/architecture.md
 * "Telephony platforms": "the apps offer only that"): what it does not carry is not offered either, and
 * `platformNote` says why in words. `platform` is null until the first board snapshot brings it: nothing
 * is held back then, and the server refuses what the platform cannot do.
 */

/** The right behind each mode: `live.monitor` is the seeds' "Launch Supervisor". */
export const MODE_RIGHT: Record<SupervisionMode, RightId> = {
  monitor: 'live.monitor',
  coach: 'live.coach',
  barge: 'live.barge',
  takeOver: 'live.takeOver',
};

export const MODE_LABEL: Record<SupervisionMode, string> = {
  monitor: 'Monitor',
  coach: 'Coach',
  barge: 'Barge',
  takeOver: 'Take over',
};

export type RecordingAction = 'start' | 'pause' | 'resume' | 'stop';

export const RECORDING_ACTION_LABEL: Record<RecordingAction, string> = {
  start: 'Record',
  pause: 'Pause recording',
  resume: 'Resume recording',
  stop: 'Stop recording',
};

export interface SuperviseControl {
  kind: 'supervise';
  mode: SupervisionMode;
  label: string;
  enabled: boolean;
  /** Why a control the user holds cannot be used now. */
  reason: string | null;
}

export interface RecordingControl {
  kind: 'recording';
  action: RecordingAction;
  label: string;
  enabled: boolean;
  reason: string | null;
}

export type LiveControl = SuperviseControl | RecordingControl;

const holds = (me: MeRights, right: RightId) => me.rights.includes(right);

const carriesMode = (platform: PlatformCapabilities | null, mode: SupervisionMode) => platform === null || platform.modes.includes(mode);
const carriesRecording = (platform: PlatformCapabilities | null) => platform === null || platform.recording;

/**
 * Why a control the user's profile gives is not offered: the platform does not carry it. Null when the
 * platform carries everything the user holds.
 */
export function platformNote(me: MeRights, platform: PlatformCapabilities | null): string | null {
  if (platform === null || !holds(me, 'phoneState.view')) return null;
  const missing: string[] = SUPERVISION_MODES.filter((m) => holds(me, MODE_RIGHT[m]) && !carriesMode(platform, m)).map((m) => MODE_LABEL[m]);
  if (!carriesRecording(platform) && (holds(me, 'recording.initiate') || holds(me, 'recording.pause'))) missing.push('Recording');
  if (missing.length === 0) return null;
  const list = missing.length === 1 ? missing[0]! : `${missing.slice(0, -1).join(', ')} and ${missing[missing.length - 1]}`;
  return `${list} ${missing.length === 1 ? 'is' : 'are'} not offered: the telephony platform (${platform.name}) does not carry ${missing.length === 1 ? 'it' : 'them'}`;
}

/** docs/architecture.md "Supervision sessions: start": the agent is on a call (talking or held). */
function isOnCall(entry: BoardEntry): boolean {
  return (entry.phone.state === 'talking' || entry.phone.state === 'held') && entry.phone.call !== null;
}

function superviseBlock(me: MeRights, entry: BoardEntry, mine: readonly SupervisionSessionView[]): string | null {
  if (entry.userId === me.userId) return 'You cannot supervise your own call';
  if (!isOnCall(entry)) return `${entry.displayName} is not on a call`;
  if (mine.some((s) => s.callId === entry.phone.call!.callId)) return 'You already supervise this call: change its mode below';
  return null;
}

/** The start controls for one mode each the user holds (with the phone view, docs/permissions.md rule 5), then recording. */
export function agentControls(me: MeRights, entry: BoardEntry, mine: readonly SupervisionSessionView[], platform: PlatformCapabilities | null): LiveControl[] {
  if (!holds(me, 'phoneState.view')) return [];
  const controls: LiveControl[] = [];
  const block = superviseBlock(me, entry, mine);
  for (const mode of SUPERVISION_MODES) {
    if (!holds(me, MODE_RIGHT[mode]) || !carriesMode(platform, mode)) continue;
    controls.push({ kind: 'supervise', mode, label: MODE_LABEL[mode], enabled: block === null, reason: block });
  }
  controls.push(...recordingControls(me, isOnCall(entry) ? entry.phone.call : null, platform, `${entry.displayName} is not on a call`));
  return controls;
}

/**
 * Initiate User Recording starts a recording; Pause User Recording pauses and resumes it (the PCI pause).
 * Only the control that fits the recording's state is offered.
 */
export function recordingControls(
  me: MeRights,
  call: Pick<Call, 'recording'> | null,
  platform: PlatformCapabilities | null,
  noCallReason = 'Not on a call',
): RecordingControl[] {
  const controls: RecordingControl[] = [];
  if (!carriesRecording(platform)) return controls;
  const noCall = call === null ? noCallReason : null;
  // A failed recording (the server could not write it) may be started again.
  if (holds(me, 'recording.initiate') && (call === null || call.recording === 'off' || call.recording === 'failed')) {
    controls.push({ kind: 'recording', action: 'start', label: RECORDING_ACTION_LABEL.start, enabled: noCall === null, reason: noCall });
  }
  if (holds(me, 'recording.pause') && call !== null && (call.recording === 'on' || call.recording === 'paused')) {
    const action: RecordingAction = call.recording === 'paused' ? 'resume' : 'pause';
    controls.push({ kind: 'recording', action, label: RECORDING_ACTION_LABEL[action], enabled: true, reason: null });
  }
  if (holds(me, 'recording.initiate') && call !== null && (call.recording === 'on' || call.recording === 'paused')) {
    controls.push({ kind: 'recording', action: 'stop', label: RECORDING_ACTION_LABEL.stop, enabled: true, reason: null });
  }
  return controls;
}

export interface SessionControls {
  /** The modes the session may switch to: each one the user holds, other than the current one. */
  switchTo: SupervisionMode[];
  /** Stopping a take-over ends the call (docs/architecture.md "take over"), so it says so. */
  stopLabel: string;
  /** Why the mode cannot change, when it cannot. */
  switchNote: string | null;
}

export function sessionControls(me: MeRights, session: Pick<SupervisionSessionView, 'mode'>, platform: PlatformCapabilities | null): SessionControls {
  if (session.mode === 'takeOver') {
    // The agent has left a taken-over call: there is no one to hand it back to.
    return { switchTo: [], stopLabel: 'End call', switchNote: 'A taken-over call cannot change mode' };
  }
  const switchTo = SUPERVISION_MODES.filter((m) => m !== session.mode && holds(me, MODE_RIGHT[m]) && carriesMode(platform, m));
  return { switchTo, stopLabel: 'Stop', switchNote: null };
}
