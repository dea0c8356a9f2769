import { createRequire } from 'node:module';

// `ws` is typed without its frame builder: the one socket.io's adapter uses to build a broadcast's frame once.
const { Sender } = createRequire(import.meta.url)('ws') as {
  Sender: { frame(data: Buffer, options: { readOnly: boolean; mask: boolean; rsv1: boolean; opcode: number; fin: boolean }): Buffer[] };
};

/** WebSocket opcodes (RFC 6455 5.2) of the messages a server frames itself. */
export const WS_OPCODE = { text: 1, binary: 2, ping: 9 } as const;

/** A final, unmasked message from the server, as `ws` frames it: its header and its data in one buffer. */
export function wsMessage(data: Buffer, opcode: (typeof WS_OPCODE)[keyof typeof WS_OPCODE]): Buffer {
  return Buffer.concat(Sender.frame(data, { readOnly: false, mask: false, rsv1: false, opcode, fin: true }));
}

/**
 * A final, unmasked text message of `prefix` then `text`, laid out straight into one buffer: the bytes
 * `wsMessage(Buffer.from(prefix + text), WS_OPCODE.text)` gives, without the joined string, its buffer, the
 * header's buffer and their copy into a third (a board delta is framed so for every stream that sees the agent).
 */
export function wsTextMessage(prefix: string, text: string): Buffer {
  const length = Buffer.byteLength(prefix) + Buffer.byteLength(text);
  // RFC 6455 5.2: up to 125 bytes in the second byte; then 126 and 16 bits, or 127 and 64 bits, big-endian.
  const header = length < 126 ? 2 : length < 0x10000 ? 4 : 10;
  const frame = Buffer.allocUnsafe(header + length);
  frame[0] = 0x80 | WS_OPCODE.text;
  if (header === 2) frame[1] = length;
  else if (header === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  const at = header + frame.write(prefix, header);
  frame.write(text, at);
  return frame;
}
