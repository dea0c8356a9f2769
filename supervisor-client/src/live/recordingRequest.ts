import type { Ack } from '@earshot/shared';
import type { RecordingAction } from '../gating/liveControls';
import type { LiveConnection } from './connection';

const EVENT = { start: 'recording:start', pause: 'recording:pause', resume: 'recording:resume', stop: 'recording:stop' } as const;

/** recording:start|pause|resume {callId}; the new state comes back on the board. */
export function runRecording(connection: LiveConnection, action: RecordingAction, callId: string): Promise<Ack<unknown>> {
  return connection.request(EVENT[action], { callId });
}
