import type { Socket as NetSocket } from 'node:net';

/** A packet engine.io makes: socket.io hands it its packets encoded (a string, or bytes). */
export interface EnginePacket {
  data?: unknown;
}

/** The parts of engine.io's connection the watches read: its id, its events, its flush and its transport. */
export interface EngineConnection {
  id: string;
  remoteAddress?: string;
  on(event: 'packetCreate', listener: (packet: EnginePacket) => void): unknown;
  on(event: 'flush', listener: (packets: readonly EnginePacket[]) => void): unknown;
  /** Hands the packets waiting in engine.io's buffer to the transport, when the transport is writable. */
  flush(): void;
  close(discard?: boolean): unknown;
  /**
   * engine.io's WebSocket transport: `writable` while no write is under way (engine.io then hands it each
   * packet at once); it keeps the `ws` socket as `socket`, which keeps the TCP socket as `_socket`.
   */
  transport?: { name?: string; writable: boolean; socket?: { _socket?: NetSocket } };
}

export interface EngineServer {
  on(event: 'connection', listener: (conn: EngineConnection) => void): unknown;
}

/** What one concern does with a connection's packets as engine.io makes them and hands them to its transport. */
export interface ConnectionWatch {
  packetCreate(packet: EnginePacket): void;
  flush(packets: readonly EnginePacket[]): void;
}

/**
 * Every concern that follows a connection's packets (write coalescing, slow consumers) through one listener
 * per event, called in the order given. An event with two listeners copies its listener list on every emit,
 * and `packetCreate` is emitted for every packet to every socket.
 */
export function watchConnections(engine: EngineServer, ...watches: ((conn: EngineConnection) => ConnectionWatch)[]): void {
  engine.on('connection', (conn) => {
    const all = watches.map((watch) => watch(conn));
    conn.on('packetCreate', (packet) => {
      for (const w of all) w.packetCreate(packet);
    });
    conn.on('flush', (packets) => {
      for (const w of all) w.flush(packets);
    });
  });
}
