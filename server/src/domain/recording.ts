import type { RecordingState } from '@earshot/shared';
import { ActionError } from './actionError.js';

/** `recording:start|pause|resume|stop` (docs/architecture.md "Control plane"). */
export const RECORDING_CHANGES = ['start', 'pause', 'resume', 'stop'] as const;
export type RecordingChange = (typeof RECORDING_CHANGES)[number];

/** A change of the recording: one asked for by someone, or `fail`, the recorder's own (its file could not be written). */
export type RecordingTransition = RecordingChange | 'fail';

/**
 * Where each change may come from and where it leads. A pause is the PCI pause: only a running recording
 * pauses. A failed recording may be started again (once the disk has room).
 */
const RECORDING_TRANSITIONS = {
  start: { from: ['off', 'failed'], to: 'on' },
  pause: { from: ['on'], to: 'paused' },
  resume: { from: ['paused'], to: 'on' },
  fail: { from: ['on', 'paused'], to: 'failed' },
  // A started recording may be stopped, paused or not: what was recorded stays, nothing more is.
  stop: { from: ['on', 'paused'], to: 'off' },
} as const satisfies Record<RecordingTransition, { from: readonly RecordingState[]; to: RecordingState }>;

/** Whether the recorder should be writing the call: a recording started and neither stopped nor failed. */
export function isRecorded(state: RecordingState): boolean {
  return state === 'on' || state === 'paused';
}

export function nextRecordingState(current: RecordingState, change: RecordingTransition): RecordingState {
  const t = RECORDING_TRANSITIONS[change];
  if (!(t.from as readonly RecordingState[]).includes(current)) {
    throw new ActionError('CONFLICT', `Cannot ${change} the recording: it is ${current} (${change} is allowed when it is ${t.from.join(' or ')})`);
  }
  return t.to;
}
