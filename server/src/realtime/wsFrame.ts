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
