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
  // Read where engine.io is handed a packet for a connection: however the server reached the socket (a
  // broadcast, a room written directly), that is the moment it is sent, in the order it is sent.
  type Connection = { on(event: 'packetCreate', listener: (packet: { data?: unknown }) => void): unknown };
  const engine = server.io.engine as unknown as { clients: Record<string, Connection>; on(event: 'connection', listener: (conn: Connection) => void): unknown };
  const watch = (conn: Connection) =>
    conn.on('packetCreate', ({ data }) => {
      if (typeof data === 'string' && data.startsWith(NOTICE_PACKET)) listener((JSON.parse(data.slice(1)) as [string, SupervisionNotice])[1]);
    });
  for (const conn of Object.values(engine.clients)) watch(conn);
  engine.on('connection', watch);
}

/** A socket.io event packet (type 2) of the default namespace, as engine.io carries it. */
const NOTICE_PACKET = '2["notice:supervision",';

export { nextEvent };
