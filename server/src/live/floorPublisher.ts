import type { PayloadOf, ServerEventName } from '@earshot/shared';

/**
 * How the floor reaches clients: by room (a user's room, a board stream's room, or one socket's own room),
 * never by a socket object, so that socket.io's adapter can deliver across nodes. Board and queue rooms
 * belong to this node: every node numbers its own board streams and counts its own queue figures from the
 * whole floor (docs/decisions/floor-feed.md), so those go to this node's sockets only.
 */
export interface FloorPublisher {
  /** `exceptSocket`: the socket whose request made the change, whose answer already carries it. */
  toUser<E extends ServerEventName>(userId: number, event: E, payload: PayloadOf<E>, exceptSocket?: string): void;
  /**
   * One encoding for every socket of this node in the room (a socket's id is a room of its own); never
   * through the adapter to the other nodes, whose sockets in a room of the same name read another stream.
   */
  toLocalRoom<E extends ServerEventName>(room: string, event: E, payload: PayloadOf<E>): void;
  /** A socket of this node joins a room on this node only (through the adapter, a join would wait for Redis). */
  join(socketId: string, room: string): void;
  leave(socketId: string, room: string): void;
  /** What was published in this turn leaves now, not at the end of the turn (a supervision notice: it goes first). */
  sendNow(): void;
}

/** Ids and figures beside a log line's message, as fields (never people's names: ids name them). */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface FloorLogger {
  info(message: string, fields?: LogFields): void;
  /** Something went wrong that the server recovers from on its own (a connection it retries): the reason, no stack. */
  warn(message: string, fields?: LogFields): void;
  /** What happens on every call (a ring, an answer, a hang-up): shown at LOG_LEVEL=debug only. */
  debug(message: string, fields?: LogFields): void;
  error(err: unknown, message: string, fields?: LogFields): void;
}
