import type { Socket as NetSocket } from 'node:net';
import type { PayloadOf } from '@earshot/shared';

type ActionFailure = PayloadOf<'action:error'>;
import { expect, it } from 'vitest';
import { collect, onSystemWrites, until } from '../support/floor.js';
import { connectAs, freshServerPerTest, userId } from '../support/harness.js';
import { localRoomWriter } from '../../server/src/realtime/localRoomWriter.js';

const t = freshServerPerTest();

/** Counts the system-level writes of the server's TCP socket for one user's connection. */
async function serverWritesOf(username: string): Promise<{ calls: number[]; id: string }> {
  const id = await userId(t.server, username);
  const socket = [...t.server.io.sockets.sockets.values()].find((s) => s.data.userId === id)!;
  const tcp = (socket.conn as unknown as { transport: { socket: { _socket: NetSocket } } }).transport.socket._socket;
  const calls: number[] = [];
  onSystemWrites(tcp, (chunks) => calls.push(chunks.length));
  return { calls, id: socket.id };
}

it('a burst of frames for one connection costs one write, not one each', async () => {
  const { socket } = await connectAs(t.server.url, 'manager.sales');
  const seen = collect<ActionFailure>(socket, 'action:error');
  const { calls, id } = await serverWritesOf('manager.sales');
  const push = (n: number) => t.server.io.to(id).emit('action:error', { event: `test:${n}`, error: { code: 'INVALID', message: `frame ${n}` } });

  for (let n = 1; n <= 10; n++) push(n);
  await until(() => seen.length === 10, 2000, 'ten frames');
  expect(seen.map((f) => f.event)).toEqual(Array.from({ length: 10 }, (_, i) => `test:${i + 1}`));
  // Each WebSocket frame is a header and a payload: 20 chunks in one system call.
  expect(calls).toEqual([20]);

  push(11);
  await until(() => seen.length === 11, 2000, 'a frame in a later turn');
  expect(calls).toEqual([20, 2]);
});

it("a room's frames go straight to the TCP socket, one buffer each and one write per turn, in order with the packets engine.io holds", async () => {
  const { socket } = await connectAs(t.server.url, 'manager.sales');
  const seen = collect<ActionFailure>(socket, 'action:error');
  const { calls, id } = await serverWritesOf('manager.sales');
  const toRoom = localRoomWriter(() => t.server.io);
  const frame = (n: number): ActionFailure => ({ event: `test:${n}`, error: { code: 'INVALID', message: `frame ${n}` } });
  // Every socket is in the room of its own id.
  const viaRoom = (n: number) => toRoom(id, 'action:error', frame(n));
  const viaEngine = (n: number) => t.server.io.sockets.sockets.get(id)!.emit('action:error', frame(n));
  // The packets engine.io makes for the connection: the ones handed to it, not written past it.
  const engineMade: string[] = [];
  t.server.io.sockets.sockets.get(id)!.conn.on('packetCreate', (p: { data?: unknown }) => engineMade.push(String(p.data).match(/test:\d+/)![0]));

  for (let n = 1; n <= 5; n++) viaRoom(n);
  await until(() => seen.length === 5, 2000, 'five room frames');
  // One buffer (header and data) per frame.
  expect(calls).toEqual([5]);
  expect(engineMade).toEqual([]);

  // 6 is written past engine.io; 7 is engine.io's, held to the end of the turn; so 8, behind it, is handed to
  // engine.io too. The held packets leave in the same write as 6, behind it: 6 (one buffer), 7 and 9 (a
  // header and a payload each), 8 (one buffer).
  viaRoom(6);
  viaEngine(7);
  viaRoom(8);
  viaEngine(9);
  await until(() => seen.length === 9, 2000, 'four frames by both ways');
  expect(seen.map((f) => f.event)).toEqual(Array.from({ length: 9 }, (_, i) => `test:${i + 1}`));
  expect(calls).toEqual([5, 6]);
  expect(engineMade).toEqual(['test:7', 'test:8', 'test:9']);
});
