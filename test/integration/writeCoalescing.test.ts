import type { Socket as NetSocket } from 'node:net';
import type { PayloadOf } from '@earshot/shared';

type ActionFailure = PayloadOf<'action:error'>;
import { expect, it } from 'vitest';
import { collect, until } from '../support/floor.js';
import { connectAs, freshServerPerTest, userId } from '../support/harness.js';

const t = freshServerPerTest();

/** Counts the system-level writes of the server's TCP socket for one user's connection. */
async function serverWritesOf(username: string): Promise<{ calls: number[]; id: string }> {
  const id = await userId(t.server, username);
  const socket = [...t.server.io.sockets.sockets.values()].find((s) => s.data.userId === id)!;
  const tcp = (socket.conn as unknown as { transport: { socket: { _socket: NetSocket } } }).transport.socket._socket;
  const calls: number[] = [];
  const raw = tcp as unknown as {
    _writev(chunks: unknown[], cb: () => void): void;
    _write(chunk: unknown, encoding: string, cb: () => void): void;
  };
  const writev = raw._writev.bind(tcp);
  const write = raw._write.bind(tcp);
  raw._writev = (chunks, cb) => {
    calls.push(chunks.length);
    writev(chunks, cb);
  };
  raw._write = (chunk, encoding, cb) => {
    calls.push(1);
    write(chunk, encoding, cb);
  };
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
