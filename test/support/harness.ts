import type { Ack, ClientEventName, ClientToServerEvents, LoginResponse, RequestOf, ResponseOf, ServerToClientEvents } from '@earshot/shared';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { afterEach, beforeEach } from 'vitest';
import { DEMO_PASSWORD, startServer, testConfig, type EarshotServer, type ServerConfig, type ServerOptions } from '../../server/src/app.js';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A clock the test moves by hand. */
export class TestClock {
  constructor(public value = Date.UTC(2026, 10, 22, 9, 0, 0)) {}
  now = () => this.value;
  advance(ms: number) {
    this.value += ms;
  }
}

export interface TestServer extends EarshotServer {
  clock: TestClock;
}

/**
 * The real server on port 0, in memory, with the demo floor (fast password hashing). `options` may put
 * another telephony platform (a scripted one) in place of the simulator.
 */
export async function startTestServer(
  overrides: Partial<ServerConfig> = {},
  clock = new TestClock(),
  options: Omit<ServerOptions, 'now'> = {},
): Promise<TestServer> {
  const server = await startServer(testConfig({ demo: true, ...overrides }), { ...options, now: clock.now });
  return Object.assign(server, { clock });
}

export async function loginHttp(url: string, username: string, password = DEMO_PASSWORD, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ username, password }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Ack<LoginResponse> };
}

export async function login(url: string, username: string, password = DEMO_PASSWORD): Promise<LoginResponse> {
  const { body } = await loginHttp(url, username, password);
  if (!body.ok) throw new Error(`login ${username} failed: ${body.error.message}`);
  return body.data;
}

const open: ClientSocket[] = [];

/** Connects with the token; resolves once connected, rejects with the connect_error. */
export function connect(url: string, token: string | undefined, extraHeaders: Record<string, string> = {}): Promise<ClientSocket> {
  const socket: ClientSocket = connectSocket(url, {
    auth: token === undefined ? {} : { token },
    transports: ['websocket'],
    extraHeaders,
    reconnection: false,
    forceNew: true,
  });
  open.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => reject(err));
  });
}

export async function connectAs(url: string, username: string, password = DEMO_PASSWORD): Promise<{ socket: ClientSocket; login: LoginResponse }> {
  const l = await login(url, username, password);
  return { socket: await connect(url, l.token), login: l };
}

export function closeAllSockets() {
  while (open.length) open.pop()!.close();
}

/** Emits with an ack and resolves with the ack (never rejects: refusals are answers too). */
export function call<E extends ClientEventName>(socket: ClientSocket, event: E, payload: RequestOf<E>): Promise<Ack<ResponseOf<E>>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ack for ${event} within 5 s`)), 5000);
    (socket.emit as (e: string, p: unknown, ack: (r: Ack<ResponseOf<E>>) => void) => void)(event, payload, (r) => {
      clearTimeout(timer);
      resolve(r);
    });
  });
}

/** Like `call`, but the ack must be ok; returns its data. */
export async function ok<E extends ClientEventName>(socket: ClientSocket, event: E, payload: RequestOf<E>): Promise<ResponseOf<E>> {
  const r = await call(socket, event, payload);
  if (!r.ok) throw new Error(`${event} refused: ${r.error.code} ${r.error.message}`);
  return r.data;
}

/** Sends anything at all, for malformed-input tests. */
export function callRaw(socket: ClientSocket, event: string, ...args: unknown[]): Promise<Ack<unknown>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ack for ${event} within 5 s`)), 5000);
    (socket.emit as (e: string, ...a: unknown[]) => void)(event, ...args, (r: Ack<unknown>) => {
      clearTimeout(timer);
      resolve(r);
    });
  });
}

export function nextEvent<T>(socket: ClientSocket, event: string, timeoutMs = 2000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    (socket as unknown as { once(e: string, f: (p: T) => void): void }).once(event, (p: T) => {
      clearTimeout(timer);
      resolve(p);
    });
  });
}

export async function userId(server: EarshotServer, username: string): Promise<number> {
  const creds = await server.store.users.credentials(username);
  if (!creds) throw new Error(`no user ${username}`);
  return creds.id;
}

/** A fresh server and an Administrator's socket for every test: each starts with idle agents and an empty audit log. */
export function freshServerPerTest(): { readonly server: TestServer; readonly admin: ClientSocket } {
  const t = {} as { server: TestServer; admin: ClientSocket };
  beforeEach(async () => {
    t.server = await startTestServer();
    t.admin = (await connectAs(t.server.url, 'admin')).socket;
  });
  afterEach(async () => {
    closeAllSockets();
    await t.server.close();
  });
  return t;
}
