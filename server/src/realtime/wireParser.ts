import { createRequire } from 'node:module';
import type { Packet } from 'socket.io-parser';

// The build socket.io itself loads (CommonJS), not a second copy of the parser from its ESM build.
const { Decoder, Encoder, PacketType } = createRequire(import.meta.url)('socket.io-parser') as typeof import('socket.io-parser');

/**
 * socket.io's parser, with one shortcut in its encoder: a board delta's entry is turned into JSON once for
 * all the streams that carry it. One status change is a numbered delta on every stream that sees the agent
 * (four on the bench's floor): the same entry, each stream its own seq, so socket.io encoded the same entry
 * once per stream. The delta (`{ seq, entry, at }`, nothing else) is written as JSON by hand around the entry's
 * JSON, kept from the previous packet when it carries the same entry object: `BoardSubscriptions.publishEntry`
 * hands every stream that entry, one stream after the other, and a published entry is never changed (the
 * floor builds a new one for each change). A board entry holds no binary data, so the search for it is skipped
 * too. Everything else is encoded by socket.io's own encoder; the decoder is socket.io's.
 */
class BoardDeltaEncoder extends Encoder {
  private lastEntry: object | null = null;
  private lastEntryJson = '';

  override encode(packet: Packet): ReturnType<InstanceType<typeof Encoder>['encode']> {
    const delta = packet.type === PacketType.EVENT && packet.id === undefined && packet.nsp === '/' ? boardDeltaOf(packet.data) : null;
    if (!delta) {
      this.lastEntry = null;
      return super.encode(packet);
    }
    if (delta.entry !== this.lastEntry) {
      this.lastEntry = delta.entry;
      this.lastEntryJson = JSON.stringify(delta.entry);
    }
    return [`${PacketType.EVENT}["board:delta",{"seq":${delta.seq},"entry":${this.lastEntryJson},"at":${delta.at}}]`];
  }
}

interface EntryDelta {
  seq: number;
  entry: object;
  at: number;
}

/** The packet's `board:delta` when it has exactly a seq, an entry and a time (numbers written as JSON writes them). */
function boardDeltaOf(data: unknown): EntryDelta | null {
  if (!Array.isArray(data) || data.length !== 2 || data[0] !== 'board:delta') return null;
  const delta = data[1] as Partial<EntryDelta> | null;
  if (typeof delta !== 'object' || delta === null || typeof delta.entry !== 'object' || delta.entry === null) return null;
  if (!Number.isFinite(delta.seq) || !Number.isFinite(delta.at)) return null;
  for (const key in delta) if (key !== 'seq' && key !== 'entry' && key !== 'at') return null;
  return delta as EntryDelta;
}

/** The `parser` option of the socket.io server. */
export const wireParser = { Encoder: BoardDeltaEncoder, Decoder };
