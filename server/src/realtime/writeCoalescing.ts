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
export function coalesceSocketWrites(engine: EngineServer): void {
  const corked = new Set<NetSocket>();
  let scheduled = false;
  const release = () => {
    scheduled = false;
    for (const socket of corked) socket.uncork();
    corked.clear();
  };
  engine.on('connection', (conn) => {
    const hold = () => {
      const socket = conn.transport?.socket?._socket;
      if (!socket || socket.destroyed || corked.has(socket)) return;
      socket.cork();
      corked.add(socket);
      if (!scheduled) {
        scheduled = true;
        process.nextTick(release);
      }
    };
    // A packet made while the transport is still writing waits in engine.io's buffer and leaves on `flush`.
    conn.on('packetCreate', hold);
    conn.on('flush', hold);
  });
}
