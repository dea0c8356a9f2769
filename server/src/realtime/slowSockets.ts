import type { LogFields } from '../live/floorPublisher.js';
import type { ConnectionWatch, EngineConnection, EnginePacket } from './connectionWatch.js';

/** The size of a packet's payload: socket.io hands engine.io its packets encoded (a string, or bytes). */
function sizeOf(packet: EnginePacket): number {
  const { data } = packet;
  if (typeof data === 'string') return data.length;
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength;
  return 0;
}

/**
 * A connection that stops reading (a frozen tab, a stalled network) would otherwise hold everything pushed
 * to it (board deltas, notices) until the heartbeat gives up, tens of seconds and megabytes later. Its
 * unsent bytes are counted as packets are made and as frames are written past engine.io: those engine.io
 * holds while its transport is busy, plus those the TCP socket holds that the kernel has not taken (the
 * kernel's own buffers are bounded by it).
 * Past `maxUnsentBytes` the connection is cut at once, without a goodbye that could not get through
 * anyway: its client reconnects and resyncs (board:subscribe, agent:attach), as after any drop.
 */
export function closeSlowSockets(maxUnsentBytes: number, log: (message: string, fields: LogFields) => void): (conn: EngineConnection) => ConnectionWatch {
  const limit: UnsentLimit = { maxUnsentBytes, log };
  return (conn) => new UnsentBytesWatch(conn, limit);
}

interface UnsentLimit {
  maxUnsentBytes: number;
  log: (message: string, fields: LogFields) => void;
}

/** One connection's unsent bytes: an object of its own, its methods shared (no closures per connection). */
class UnsentBytesWatch implements ConnectionWatch {
  /** Bytes of packets made and not yet handed to the transport. */
  private queued = 0;
  private cut = false;

  constructor(
    private readonly conn: EngineConnection,
    private readonly limit: UnsentLimit,
  ) {}

  packetCreate(packet: EnginePacket): void {
    if (this.cut) return;
    this.queued += sizeOf(packet);
    this.check();
  }

  flush(packets: readonly EnginePacket[]): void {
    for (const p of packets) this.queued -= sizeOf(p);
  }

  /** A frame written past engine.io is already in the TCP socket's buffer (or taken by the kernel). */
  frameWritten(): void {
    if (!this.cut) this.check();
  }

  private check(): void {
    const { conn, limit } = this;
    const tcp = conn.transport?.socket?._socket;
    const unsent = this.queued + (tcp?.writableLength ?? 0);
    if (unsent <= limit.maxUnsentBytes) return;
    this.cut = true;
    limit.log('socket.io connection closed as too slow', {
      connectionId: conn.id,
      address: conn.remoteAddress ?? null,
      unsentBytes: unsent,
      limitBytes: limit.maxUnsentBytes,
    });
    // Closed now, so that what the same turn still emits to it is dropped, not queued; then the TCP socket
    // goes at once with its backlog (a close handshake would wait 30 s for a client that does not read).
    conn.close(true);
    tcp?.destroy();
  }
}
