import type { PayloadOf, ServerEventName } from '@earshot/shared';

/**
 * How the floor reaches clients: by room (a user's room, or one board subscription's socket room), never
 * by a socket object, so that socket.io's adapter can deliver across nodes later.
 */
export interface FloorPublisher {
  toUser<E extends ServerEventName>(userId: number, event: E, payload: PayloadOf<E>): void;
  toSocket<E extends ServerEventName>(socketId: string, event: E, payload: PayloadOf<E>): void;
}

export interface FloorLogger {
  info(message: string): void;
  error(err: unknown, message: string): void;
}
