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
 * Frames written to one connection during the same turn of the event loop leave in one system call. A
 * supervisor whose board gets twenty deltas from one burst of agent messages, or an agent who gets an ack
 * and their phone for one message, costs one `writev`, not one each: at 10,000 agents the socket writes
 * were half of the server's busy time, one system call per frame. The TCP socket is corked when the first
 * frame of the turn is made and uncorked once the turn's I/O callbacks are done (setImmediate), so a
 * server with little to do still writes at once. Long-polling connections are left alone.
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
