import type { Socket as NetSocket } from 'node:net';

/** The parts of engine.io's connection this reads: its events, and the TCP socket under a WebSocket transport. */
interface EngineConnection {
  on(event: 'packetCreate' | 'flush', listener: () => void): unknown;
  /** engine.io's WebSocket transport keeps the `ws` socket as `socket`, which keeps the TCP socket as `_socket`. */
  transport?: { socket?: { _socket?: NetSocket } };
}

interface EngineServer {
  on(event: 'connection', listener: (conn: EngineConnection) => void): unknown;
}

/**
 * Frames written to one connection during the same turn of the event loop leave together. engine.io sends
 * the first frame of a burst at once and queues the rest until that write completes; `ws` then writes
 * each queued frame with its own system call. With the TCP socket corked from the first frame of the turn
 * until the turn's callbacks are done (process.nextTick), a burst costs two `writev` calls (the first
 * frame, then everything queued behind it) instead of one per frame: at 10,000 agents the socket writes
 * were half of the server's busy time. Long-polling connections are left alone.
 */
/** Marks a TCP socket corked until the end of this turn (a field of its own: no table to grow or clear). */
const HELD = Symbol('earshot.corkedThisTurn');
type HeldSocket = NetSocket & { [HELD]?: boolean };

export function coalesceSocketWrites(engine: EngineServer): void {
  // A list that keeps its capacity and a mark on each socket, not a Set emptied every turn: a Set's table
  // is made anew on each clear and growth, and at 10,000 agents those tables were the largest share of
  // what outlived the young generation.
  // Two lists in turn: a write made while a turn's sockets are uncorked goes to the other list.
  let corked: (NetSocket | null)[] = [];
  let spare: (NetSocket | null)[] = [];
  let count = 0;
  const release = () => {
    const list = corked;
    const n = count;
    corked = spare;
    spare = list;
    count = 0;
    for (let i = 0; i < n; i++) {
      const socket = list[i]!;
      list[i] = null;
      (socket as HeldSocket)[HELD] = false;
      socket.uncork();
    }
  };
  engine.on('connection', (conn) => {
    const hold = () => {
      const socket = conn.transport?.socket?._socket;
      if (!socket || socket.destroyed || (socket as HeldSocket)[HELD]) return;
      socket.cork();
      (socket as HeldSocket)[HELD] = true;
      if (count === 0) process.nextTick(release);
      corked[count++] = socket;
    };
    // A packet made while the transport is still writing waits in engine.io's buffer and leaves on `flush`.
    conn.on('packetCreate', hold);
    conn.on('flush', hold);
  });
}
