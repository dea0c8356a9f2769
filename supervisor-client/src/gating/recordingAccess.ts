import type { MeRights, Recording, RightId } from '@earshot/shared';

/**
 * What a user may do with a recording. The server lists only recordings whose agent is in the caller's
 * scope, and checks right and scope again on every use; this keeps off the screen the controls it would
 * refuse. A right the user lacks hides its control; a recording still in progress (its call goes on)
 * shows the controls the user holds, disabled, with the reason.
 */
export const RECORDINGS_PAGE_RIGHTS: readonly RightId[] = ['recording.playback', 'recording.export', 'recording.delete'];

export type RecordingAction = 'play' | 'export' | 'delete';

export const RECORDING_ACTION_RIGHT: Record<RecordingAction, RightId> = {
  play: 'recording.playback',
  export: 'recording.export',
  delete: 'recording.delete',
};

export const RECORDING_ACTION_LABEL: Record<RecordingAction, string> = { play: 'Play', export: 'Export', delete: 'Delete' };

export interface RecordingControl {
  action: RecordingAction;
  label: string;
  enabled: boolean;
  reason: string | null;
}

export function recordingControls(me: MeRights, recording: Pick<Recording, 'endedAt'>): RecordingControl[] {
  const inProgress = recording.endedAt === null ? 'The call is still being recorded' : null;
  return (Object.keys(RECORDING_ACTION_RIGHT) as RecordingAction[])
    .filter((action) => me.rights.includes(RECORDING_ACTION_RIGHT[action]))
    .map((action) => ({ action, label: RECORDING_ACTION_LABEL[action], enabled: inProgress === null, reason: inProgress }));
}
