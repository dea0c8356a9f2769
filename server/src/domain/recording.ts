import type { RecordingState } from '@earshot/shared';
import { ActionError } from './actionError.js';

/** `recording:start|pause|resume` (architecture.md "Control plane"). */
export const RECORDING_CHANGES = ['start', 'pause', 'resume'] as const;
export type RecordingChange = (typeof RECORDING_CHANGES)[number];

/** Where each change may come from and where it leads. A pause is the PCI pause: only a running recording pauses. */
const RECORDING_TRANSITIONS = {
  start: { from: ['off'], to: 'on' },
  pause: { from: ['on'], to: 'paused' },
  resume: { from: ['paused'], to: 'on' },
} as const satisfies Record<RecordingChange, { from: readonly RecordingState[]; to: RecordingState }>;

export function nextRecordingState(current: RecordingState, change: RecordingChange): RecordingState {
  const t = RECORDING_TRANSITIONS[change];
  if (!(t.from as readonly RecordingState[]).includes(current)) {
    throw new ActionError('CONFLICT', `Cannot ${change} the recording: it is ${current} (${change} is allowed when it is ${t.from.join(' or ')})`);
  }
  return t.to;
}
