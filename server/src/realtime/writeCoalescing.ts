import type { Socket as NetSocket } from 'node:net';
import type { ConnectionWatch, EngineConnection } from './connectionWatch.js';

/**
 * Frames written to one connection during the same turn of the event loop leave together, in one system
 * call. Left alone, engine.io hands the transport the first packet of a burst at once and buffers the rest
 * until that write completes, and `ws` writes each frame with its own system call: an agent's status change
 * (its `agent:phone`, then its ack) cost two writes, and at 10,000 agents the socket writes were half of the
 * server's busy time. So the first packet of a turn marks the WebSocket transport busy (engine.io buffers the
 * turn's packets), and at the end of the turn (process.nextTick) each such connection is flushed with its TCP
 * socket corked: all of the turn's frames in one `writev`. Packets buffered behind a write still under way
 * leave on engine.io's own flush, also corked until the end of that turn. Long-polling connections are left alone.
 *
 * The turn ends with the callback (`process.nextTick`), not with the loop's pass (`setImmediate`): at the
 * bench's full target a pass reads about one message (some 1,200 reads and 16,000 writes a second either
 * way, counted with `perf stat`), so waiting for the pass joined no more frames and only made each write later.
 */
/** Marks a TCP socket corked, and a connection held, until the end of this turn (a field of its own: no table to grow or clear). */
const HELD = Symbol('earshot.heldThisTurn');
type Held<T> = T & { [HELD]?: boolean };

export function coalesceSocketWrites(): { watch(conn: EngineConnection): ConnectionWatch; sendNow(): void } {
  // Lists that keep their capacity and a mark on each entry, not Sets emptied every turn: a Set's table is made
  // anew on each clear and growth, and at 10,000 agents those tables were the largest share of what outlived
  // the young generation. Two lists of each in turn: what is held while a turn's entries are released goes to the other.
  let held: (EngineConnection | null)[] = [];
  let heldSpare: (EngineConnection | null)[] = [];
  let heldCount = 0;
  let corked: (NetSocket | null)[] = [];
  let corkedSpare: (NetSocket | null)[] = [];
  let corkedCount = 0;

  const uncorkAll = () => {
    // A frame written past engine.io corked its socket before the turn held any packet: the held packets
    // join it in the same write, behind it, instead of leaving in a write of their own after it.
    if (heldCount > 0) releaseAll();
    const list = corked;
    const n = corkedCount;
    corked = corkedSpare;
    corkedSpare = list;
    corkedCount = 0;
    for (let i = 0; i < n; i++) {
      const socket = list[i]!;
      list[i] = null;
      (socket as Held<NetSocket>)[HELD] = false;
      socket.uncork();
    }
  };
  const cork = (conn: EngineConnection) => {
    const socket = conn.transport?.socket?._socket;
    if (!socket || socket.destroyed || (socket as Held<NetSocket>)[HELD]) return;
    socket.cork();
    (socket as Held<NetSocket>)[HELD] = true;
    if (corkedCount === 0) process.nextTick(uncorkAll);
    corked[corkedCount++] = socket;
  };
  const releaseAll = () => {
    const list = held;
    const n = heldCount;
    held = heldSpare;
    heldSpare = list;
    heldCount = 0;
    for (let i = 0; i < n; i++) {
      const conn = list[i]!;
      list[i] = null;
      (conn as Held<EngineConnection>)[HELD] = false;
      const transport = conn.transport;
      if (!transport) continue;
      // Busy only by this hold: no write was handed to it since (engine.io hands none to a busy transport).
      transport.writable = true;
      conn.flush();
    }
  };

  /** The turn's first packet for a connection marks its WebSocket transport busy: engine.io buffers the turn's packets. */
  const hold = (conn: EngineConnection) => {
    const transport = conn.transport;
    if ((conn as Held<EngineConnection>)[HELD] || transport?.name !== 'websocket' || !transport.writable) return;
    transport.writable = false;
    (conn as Held<EngineConnection>)[HELD] = true;
    if (heldCount === 0) process.nextTick(releaseAll);
    held[heldCount++] = conn;
  };
  const turn: WriteTurn = { hold, cork };
  return {
    watch: (conn) => new CoalescedConnection(conn, turn),
    /** Everything held so far leaves now; what this turn writes after it is held again until the turn ends. */
    sendNow: () => uncorkAll(),
  };
}

interface WriteTurn {
  hold(conn: EngineConnection): void;
  cork(conn: EngineConnection): void;
}

/** One connection's part in the turn's writes: an object of its own, its methods shared (no closures per connection). */
class CoalescedConnection implements ConnectionWatch {
  constructor(
    private readonly conn: EngineConnection,
    private readonly turn: WriteTurn,
  ) {}

  packetCreate(): void {
    this.turn.hold(this.conn);
  }

  /** engine.io hands its buffered packets to the transport: their frames leave in one write at the end of the turn. */
  flush(): void {
    this.turn.cork(this.conn);
  }

  /** So does a frame written past engine.io (`writeFrame`). */
  frameWriting(): void {
    this.turn.cork(this.conn);
  }
}
