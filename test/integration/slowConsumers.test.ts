import type { Socket as NetSocket } from 'node:net';
import type { BoardDelta } from '@earshot/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { collect, until } from '../support/floor.js';
import { closeAllSockets, connectAs, ok, startTestServer, userId, type ClientSocket, type TestServer } from '../support/harness.js';

let server: TestServer | null = null;
afterEach(async () => {
  closeAllSockets();
  await server?.close();
  server = null;
});

/** The TCP socket under a socket.io client's WebSocket transport (socket.io-client in Node uses `ws`). */
function clientTcpOf(socket: ClientSocket): NetSocket {
  return (socket.io.engine.transport as unknown as { ws: { _socket: NetSocket } }).ws._socket;
}

/** The server's connection of a client's socket: what engine.io still holds for it, and what its TCP socket holds past the kernel. */
function serverSideOf(s: TestServer, socket: ClientSocket) {
  const serverSocket = s.io.sockets.sockets.get(socket.id!)!;
  const conn = serverSocket.conn as unknown as { writeBuffer: { data?: unknown }[]; transport: { socket: { _socket: NetSocket } } };
  const tcp = conn.transport.socket._socket;
  return {
    serverSocket,
    unsent: () => conn.writeBuffer.reduce((n, p) => n + (typeof p.data === 'string' ? p.data.length : 0), 0) + tcp.writableLength,
  };
}

describe('a control socket that stops reading', () => {
  it('is cut once its unsent bytes pass SOCKET_MAX_UNSENT_BYTES, holding no more than that; a reader beside it keeps every delta; its client resyncs', async () => {
    const LIMIT = 256 * 1024;
    const s = (server = await startTestServer({ socketMaxUnsentBytes: LIMIT }));
    const agentId = await userId(s, 'agent.billing');
    s.floor.applyPhone(agentId, { type: 'login' });
    const slow = (await connectAs(s.url, 'admin')).socket;
    await ok(slow, 'board:subscribe', {});
    const reader = (await connectAs(s.url, 'admin')).socket;
    await ok(reader, 'board:subscribe', {});
    const readerDeltas = collect<BoardDelta>(reader, 'board:delta');

    const side = serverSideOf(s, slow);
    let reason: string | null = null;
    side.serverSocket.once('disconnect', (r) => (reason = r));
    clientTcpOf(slow).pause();

    // The floor pushes deltas (about 4 KiB each) in bursts, as a busy floor does, until the socket is cut.
    const long = 'x'.repeat(4000);
    const started = performance.now();
    let pushed = 0;
    let maxUnsent = 0;
    while (reason === null && pushed < 10_000) {
      for (let i = 0; i < 20; i++, pushed++) {
        s.floor.applyPhone(agentId, i % 2 === 0 ? { type: 'setAvailable' } : { type: 'setNotReady', reason: `Break ${pushed} ${long}` });
        if (reason === null) maxUnsent = Math.max(maxUnsent, side.unsent());
      }
      await new Promise((r) => setImmediate(r));
    }
    const elapsedMs = Math.round(performance.now() - started);
    const deltaBytes = Math.max(...readerDeltas.slice(-2).map((d) => JSON.stringify(d).length));
    console.log(
      `paused board socket: cut after ${pushed} deltas (~${Math.round((pushed * deltaBytes) / 1024)} KiB pushed), ${elapsedMs} ms; at most ${maxUnsent} bytes held unsent in the server (limit ${LIMIT})`,
    );

    expect(reason).toBe('forced close');
    // Held in the server: never more than the limit and the one delta that crossed it.
    expect(maxUnsent).toBeLessThanOrEqual(LIMIT + 2 * deltaBytes);
    // Cut by its backlog, not by the heartbeat: the kernel's buffers and the limit took a few MiB at most.
    expect(pushed * deltaBytes).toBeLessThan(LIMIT + 32 * 1024 * 1024);

    // The reader beside it got every delta, in order.
    await until(() => readerDeltas.length === pushed, 30_000, 'every delta to the reader').catch((e) => {
      throw new Error(`${e} (${readerDeltas.length} of ${pushed}; connected ${reader.connected})`);
    });
    expect(readerDeltas.every((d, i) => i === 0 || d.seq === readerDeltas[i - 1]!.seq + 1)).toBe(true);
    expect(reader.connected).toBe(true);

    // The cut client, on reconnecting, resyncs: a board as it is now.
    const again = (await connectAs(s.url, 'admin')).socket;
    const board = await ok(again, 'board:subscribe', {});
    expect(board.entries.find((e) => e.userId === agentId)!.phone.state).toBe(s.floor.phoneOf(agentId).state);
  }, 60_000);
});
