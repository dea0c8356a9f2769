import { ackSchema, LoginResponseSchema, type Ack, type LoginResponse } from '@earshot/shared';
import { z } from 'zod';
import { AgentClientError } from './agentClientError.js';

export interface LoginOptions {
  /** The Earshot server, e.g. `https://earshot.example.com` (in the browser: `location.origin`). */
  url: string;
  username: string;
  password: string;
  /** Another fetch (an Electron net module, a test double); the global one by default. */
  fetch?: typeof fetch;
}

/** `POST /api/login`: the token for `createAgentClient`, when it expires, and who logged in. */
export async function login(options: LoginOptions): Promise<LoginResponse> {
  const body = await post(options, '/api/login', { username: options.username, password: options.password });
  return parseAck(LoginResponseSchema, body, 'login');
}

export interface LogoutOptions {
  url: string;
  token: string;
  fetch?: typeof fetch;
}

/** `POST /api/logout`: ends the login; the server closes its sockets. */
export async function logout(options: LogoutOptions): Promise<void> {
  const body = await post(options, '/api/logout', {}, { authorization: `Bearer ${options.token}` });
  // The shared package declares no schema for this answer's data: only the envelope is checked.
  parseAck(z.unknown(), body, 'logout');
}

async function post(
  options: { url: string; fetch?: typeof fetch },
  path: string,
  json: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown }> {
  const doFetch = options.fetch ?? globalThis.fetch;
  let res: Response;
  try {
    res = await doFetch(new URL(path, options.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(json),
    });
  } catch (e) {
    throw new AgentClientError('NETWORK', `Cannot reach ${options.url}: ${e instanceof Error ? e.message : String(e)}`);
  }
  return { status: res.status, body: await res.json().catch(() => undefined) };
}

function parseAck<T extends z.ZodType>(data: T, answer: { status: number; body: unknown }, what: string): z.output<T> {
  const parsed = ackSchema(data).safeParse(answer.body);
  if (!parsed.success) throw new AgentClientError('PROTOCOL', `The server's ${what} answer (HTTP ${answer.status}) is not an Earshot answer`);
  const ack = parsed.data as Ack<z.output<T>>;
  if (!ack.ok) throw AgentClientError.fromWire(ack.error);
  return ack.data;
}
