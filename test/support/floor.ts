import type { AgentPhoneState, SupervisionNotice } from '@earshot/shared';
import type { EarshotServer } from '../../server/src/app.js';
import { connectAs, nextEvent, ok, userId, type ClientSocket, type TestServer } from './harness.js';

export interface AgentOnCall {
  socket: ClientSocket;
  userId: number;
  callId: string;
}

/** A real agent's plugin: attached, available, offered a call by the telephony, answered. */
export async function agentOnCall(server: TestServer, username: string): Promise<AgentOnCall> {
  const { socket } = await connectAs(server.url, username);
  await ok(socket, 'agent:attach', {});
  await ok(socket, 'agent:status', { status: 'available' });
  const id = await userId(server, username);
  const ringing = waitForPhone(socket, (p) => p.state === 'ringing');
  server.simulator!.placeCall({ toUserId: id });
  server.simulator!.tick();
  const phone = await ringing;
  await ok(socket, 'call:answer', { callId: phone.call!.callId });
  return { socket, userId: id, callId: phone.call!.callId };
}

/** The next `agent:phone` push that satisfies `match`. */
export function waitForPhone(socket: ClientSocket, match: (p: AgentPhoneState) => boolean, timeoutMs = 2000): Promise<AgentPhoneState> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no matching agent:phone')), timeoutMs);
    const on = ({ phone }: { phone: AgentPhoneState }) => {
      if (!match(phone)) return;
      clearTimeout(timer);
      socket.off('agent:phone', on);
      resolve(phone);
    };
    socket.on('agent:phone', on);
  });
}

/** Collects every push of `event` on a socket, in order. */
export function collect<T>(socket: ClientSocket, event: string): T[] {
  const seen: T[] = [];
  (socket as unknown as { on(e: string, f: (p: T) => void): void }).on(event, (p: T) => seen.push(p));
  return seen;
}

/** Waits until `predicate` holds, polling the event loop (for pushes that arrive asynchronously). */
export async function until(predicate: () => boolean, timeoutMs = 2000, what = 'condition'): Promise<number> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return Date.now() - start;
}

/**
 * Every `notice:supervision` as the server sends it, in the order it is sent (before any client has it):
 * what an ordering test lays beside what the server does next (routes a frame, asks the platform).
 */
export function onNoticeSent(server: Pick<EarshotServer, 'io'>, listener: (notice: SupervisionNotice) => void): void {
  // Read where the TCP socket hands the frame to the system: however the server reached the socket (a
  // broadcast through engine.io, a room's frame written past it) and however long it was corked, that is
  // the moment it is sent, in the order it is sent. A frame is written whole (a room's) or as its header and
  // then its payload (engine.io's): the socket.io packet runs from the marker to the end of the chunk either way.
  type Connection = { transport?: { socket?: { _socket?: object } } };
  const engine = server.io.engine as unknown as { clients: Record<string, Connection>; on(event: 'connection', listener: (conn: Connection) => void): unknown };
  const read = (chunk: unknown) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : '';
    const at = text.indexOf(NOTICE_PACKET);
    if (at >= 0) listener((JSON.parse(text.slice(at + 1)) as [string, SupervisionNotice])[1]);
  };
  const watched = new WeakSet<object>();
  const watch = (conn: Connection) => {
    const tcp = conn.transport?.socket?._socket;
    if (!tcp || watched.has(tcp)) return;
    watched.add(tcp);
    onSystemWrites(tcp, (chunks) => {
      for (const chunk of chunks) read(chunk);
    });
  };
  for (const conn of Object.values(engine.clients)) watch(conn);
  engine.on('connection', watch);
}

/**
 * Every system-level write of a TCP socket, as the chunks it hands the system in one call (a `writev` of the
 * corked chunks, or a single `write`), in order.
 */
export function onSystemWrites(tcp: object, listener: (chunks: unknown[]) => void): void {
  const raw = tcp as {
    _writev(chunks: { chunk: unknown }[], cb: unknown): void;
    _write(chunk: unknown, encoding: unknown, cb: unknown): void;
  };
  const writev = raw._writev.bind(tcp);
  const write = raw._write.bind(tcp);
  raw._writev = (chunks, cb) => {
    listener(chunks.map((c) => c.chunk));
    writev(chunks, cb);
  };
  raw._write = (chunk, encoding, cb) => {
    listener([chunk]);
    write(chunk, encoding, cb);
  };
}

/** A socket.io event packet (type 2) of the default namespace, as engine.io carries it. */
const NOTICE_PACKET = '2["notice:supervision",';

export { nextEvent };
