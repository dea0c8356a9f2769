import type { AgentPhoneState } from '@earshot/shared';
import type { PhoneEvent } from '../domain/phoneState.js';
import type { FloorLogger } from './floorPublisher.js';

/** Every call's ring, answer and hang-up, simulated ones included: at debug, by ids. */
export function logPhoneEvent(log: FloorLogger, userId: number, event: PhoneEvent, after: AgentPhoneState): void {
  switch (event.type) {
    case 'offerCall':
      log.debug('call rings', { callId: event.offer.callId, agentId: userId, queue: event.offer.queue, direction: event.offer.direction });
      break;
    case 'answer':
      log.debug('call answered', { callId: after.call?.callId, agentId: userId });
      break;
    case 'hangUp':
      log.debug('call ended', { agentId: userId, state: after.state });
      break;
    default:
      break;
  }
}
