import { Decoder, Encoder, type Packet, PacketType } from 'socket.io-parser';
import { describe, expect, it } from 'vitest';
import { wireParser } from './wireParser.js';

const entry = (userId: number, state: string) => ({
  userId,
  displayName: `Agent "${userId}" é`,
  teamIds: [1, 2],
  phone: { userId, state, notReadyReason: null, since: 1_700_000_000_123, call: null },
});
const event = (name: string, payload: unknown, id?: number): Packet => ({ type: PacketType.EVENT, nsp: '/', data: [name, payload], id });

/** What socket.io's own encoder writes, and what its decoder reads back from ours. */
const plain = (p: Packet) => new Encoder().encode(p);
function decoded(encoded: ReturnType<Encoder['encode']>): unknown {
  const decoder = new Decoder();
  let packet: Packet | undefined;
  decoder.on('decoded', (p: Packet) => (packet = p));
  for (const part of encoded) decoder.add(part);
  return packet?.data;
}

describe('wireParser', () => {
  it("writes each stream's board delta as socket.io would, one entry shared by several streams", () => {
    const encoder = new wireParser.Encoder();
    const shared = entry(7, 'available');
    for (const seq of [1, 41, 9]) {
      const packet = event('board:delta', { seq, entry: shared, at: 1_700_000_000_456 });
      expect(encoder.encode(packet)).toEqual(plain(packet));
      expect(decoded(encoder.encode(packet))).toEqual(['board:delta', { seq, entry: shared, at: 1_700_000_000_456 }]);
    }
  });

  it('encodes a new entry object anew, even right after another of the same agent', () => {
    const encoder = new wireParser.Encoder();
    const first = event('board:delta', { seq: 1, entry: entry(7, 'available'), at: 1 });
    const second = event('board:delta', { seq: 2, entry: entry(7, 'notReady'), at: 2 });
    encoder.encode(first);
    expect(encoder.encode(second)).toEqual(plain(second));
  });

  it('leaves every other packet to socket.io: other deltas, other events, acks, binary', () => {
    const encoder = new wireParser.Encoder();
    const packets: Packet[] = [
      event('board:delta', { seq: 3, takenOver: [], at: 5 }),
      event('board:delta', { seq: 4, entry: entry(8, 'available'), removedUserId: 9, at: 5 }),
      event('board:snapshot', { seq: 4, entries: [entry(8, 'available')], teams: [], takenOver: [], at: 5 }),
      event('board:delta', { seq: 5, entry: entry(8, 'available'), at: 6 }, 12),
      { type: PacketType.ACK, nsp: '/', id: 3, data: [{ ok: true, data: { seq: 1, entry: entry(1, 'available'), at: 1 } }] },
      event('media:frame', { seq: 1, entry: Buffer.from([1, 2, 3]), at: 1 }),
    ];
    for (const p of packets) expect(encoder.encode(p)).toEqual(plain(p));
  });
});
