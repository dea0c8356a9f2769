import { createRequire } from 'node:module';
import type { Packet } from 'socket.io-parser';
import { writeFrame, type EngineConnection } from './connectionWatch.js';
import type { EarshotIo } from './gateway.js';
import { wsTextMessage } from './wsFrame.js';

const { PacketType } = createRequire(import.meta.url)('socket.io-parser') as typeof import('socket.io-parser');

/** What a socket.io client takes to write an encoded packet: its engine.io frame, built once for every receiver. */
interface EncodedWrite {
  preEncoded: true;
  wsPreEncodedFrame?: Buffer[];
}

/**
 * Writes an event to the sockets of a room of this node, as `io.local.to(room).emit` does: one encoding
 * and one WebSocket frame for all of them, written to each socket's TCP socket (`writeFrame`), or handed
 * to its connection when engine.io still holds something for it; `exceptSocket` is left out.
 * socket.io's broadcast also made two operators, a set of rooms, a set of receivers and a set of exceptions
 * for every emit, and a status change is one emit to every board stream that sees the agent (four at the
 * bench's full target) and one to the agent. For this node's sockets only: with several nodes, a user's
 * other sockets are reached through the adapter.
 */
export function localRoomWriter(io: () => EarshotIo | null): (room: string, event: string, payload: unknown, exceptSocket?: string) => void {
  return (room, event, payload, exceptSocket) => {
    const server = io();
    const ids = server?.sockets.adapter.rooms.get(room);
    if (!server || !ids || ids.size === 0) return;
    // Nobody else to tell: an agent's change pushed to their other sockets, and they have only the one that
    // asked. Encoding it anyway was 4 % of the server's time at the bench's full target.
    if (exceptSocket !== undefined && ids.size === 1 && ids.has(exceptSocket)) return;
    const packet: Packet = { type: PacketType.EVENT, nsp: '/', data: [event, payload] };
    const encoded = server.encoder.encode(packet) as unknown[];
    const write: EncodedWrite = { preEncoded: true };
    // engine.io's message packet ("4") in a text frame, header and data in one buffer: what its WebSocket
    // transport would have framed for each socket, and what `ws` writes as it is when handed a single buffer.
    const frame = encoded.length === 1 && typeof encoded[0] === 'string' ? wsTextMessage('4', encoded[0]) : null;
    if (frame) write.wsPreEncodedFrame = [frame];
    for (const id of ids) {
      if (id === exceptSocket) continue;
      const socket = server.sockets.sockets.get(id);
      if (!socket) continue;
      if (frame && writeFrame(socket.conn as unknown as EngineConnection, frame)) continue;
      socket.client._packet(encoded as never, write);
    }
  };
}
