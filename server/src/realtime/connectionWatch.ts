import type { Socket as NetSocket } from 'node:net';

/** A packet engine.io makes: socket.io hands it its packets encoded (a string, or bytes). */
export interface EnginePacket {
  data?: unknown;
}

/**
 * `ws`'s sender, as far as the order of frames goes: it holds a frame back (`_queue`) while it compresses or
 * reads a blob (`_state` other than 0), and a frame written past it then would overtake the held one.
 */
interface WsSenderState {
  _state: number;
  _queue: readonly unknown[];
}

/** The parts of engine.io's connection the watches read: its id, its events, its flush and its transport. */
export interface EngineConnection {
  id: string;
  remoteAddress?: string;
  /** `open` until engine.io starts closing it. */
  readyState?: string;
  /** Packets engine.io holds until its transport is writable: a frame written past them would overtake them. */
  writeBuffer?: readonly unknown[];
  on(event: 'packetCreate', listener: (packet: EnginePacket) => void): unknown;
  on(event: 'flush', listener: (packets: readonly EnginePacket[]) => void): unknown;
  /** Hands the packets waiting in engine.io's buffer to the transport, when the transport is writable. */
  flush(): void;
  close(discard?: boolean): unknown;
  /**
   * engine.io's WebSocket transport: `writable` while no write is under way (engine.io then hands it each
   * packet at once); it keeps the `ws` socket as `socket`, which keeps the TCP socket as `_socket`.
   */
  transport?: {
    name?: string;
    writable: boolean;
    perMessageDeflate?: unknown;
    socket?: { _socket?: NetSocket; readyState?: number; _sender?: WsSenderState };
  };
}

export interface EngineServer {
  on(event: 'connection', listener: (conn: EngineConnection) => void): unknown;
}

/** What one concern does with a connection's packets as engine.io makes them and hands them to its transport. */
export interface ConnectionWatch {
  packetCreate(packet: EnginePacket): void;
  flush(packets: readonly EnginePacket[]): void;
  /** A whole WebSocket frame is about to be written to the TCP socket itself (`writeFrame`), past engine.io. */
  frameWriting?(): void;
  /** That frame is written: its bytes are in the TCP socket's buffer or already taken by the kernel. */
  frameWritten?(): void;
}

const WATCHES = Symbol('earshot.connectionWatches');
type Watched = EngineConnection & { [WATCHES]?: ConnectionWatch[] };

/** ws's `WebSocket.OPEN`: after it, a data frame would follow a close frame. */
const WS_OPEN = 1;

/**
 * Every concern that follows a connection's packets (write coalescing, slow consumers) through one listener
 * per event, called in the order given. An event with two listeners copies its listener list on every emit,
 * and `packetCreate` is emitted for every packet to every socket. The two listeners are the same functions
 * for every connection (an emitter calls a listener with itself as `this`), and each concern keeps its state
 * of a connection in one object: a closure for each listener of each concern, and their contexts, were about
 * 0.7 KB of every idle agent's connection (the heap after a full collection, at 10,000 agents).
 */
export function watchConnections(engine: EngineServer, ...watches: ((conn: EngineConnection) => ConnectionWatch)[]): void {
  engine.on('connection', (conn) => {
    (conn as Watched)[WATCHES] = watches.map((watch) => watch(conn));
    conn.on('packetCreate', packetCreated);
    conn.on('flush', flushed);
  });
}

function packetCreated(this: Watched, packet: EnginePacket): void {
  for (const w of this[WATCHES]!) w.packetCreate(packet);
}

function flushed(this: Watched, packets: readonly EnginePacket[]): void {
  for (const w of this[WATCHES]!) w.flush(packets);
}

/**
 * Writes a whole WebSocket frame (an engine.io message, built once for every receiver) straight to the
 * connection's TCP socket, when nothing engine.io or `ws` still holds for it could be overtaken: the
 * connection is open over WebSocket, engine.io buffers no packet for it, and `ws` holds no frame back. A
 * broadcast's frame otherwise went through engine.io's packet, buffer, flush and drain and `ws`'s sender
 * for every receiver, with a completion callback on each write: at the bench's full target, thirteen
 * thousand times a second. The watches still see the frame (the turn's cork, the slow consumer's count).
 * False: not written, and the caller hands the packet to engine.io as usual.
 */
export function writeFrame(conn: EngineConnection, frame: Buffer): boolean {
  const watches = (conn as Watched)[WATCHES];
  const transport = conn.transport;
  if (!watches || conn.readyState !== 'open' || conn.writeBuffer?.length !== 0 || transport?.name !== 'websocket' || transport.perMessageDeflate) return false;
  const ws = transport.socket;
  const tcp = ws?._socket;
  const sender = ws?._sender;
  if (ws?.readyState !== WS_OPEN || !tcp?.writable || !sender || sender._state !== 0 || sender._queue.length !== 0) return false;
  for (const w of watches) w.frameWriting?.();
  tcp.write(frame);
  for (const w of watches) w.frameWritten?.();
  return true;
}
