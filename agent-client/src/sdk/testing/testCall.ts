import type { Call } from '@earshot/shared';

/** An inbound Billing call with this id, not recorded, nobody supervising: what the audio tests follow. */
export const testCall = (callId: string): Call => ({
  callId,
  direction: 'inbound',
  remoteNumberMasked: '+1••••1234',
  queue: 'Billing',
  startedAt: 0,
  recording: 'off',
  supervisions: [],
});
