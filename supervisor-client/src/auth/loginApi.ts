import { ackSchema, LoginRequestSchema, LoginResponseSchema, MeSchema, type Ack, type LoginResponse, type Me } from '@earshot/shared';
import { z } from 'zod';
import { describeIssues } from '../live/connection';

/** HTTP answers share the socket acks' envelope; anything else is the server failing. */
async function readAck<T extends z.ZodType>(res: Response, data: T): Promise<Ack<z.output<T>>> {
  const parsed = ackSchema(data).safeParse(await res.json().catch(() => null));
  if (parsed.success) return parsed.data as Ack<z.output<T>>;
  return { ok: false, error: { code: 'INTERNAL', message: `The server answered ${res.status} without a readable body` } };
}

/** POST /api/login */
export async function logIn(username: string, password: string): Promise<Ack<LoginResponse>> {
  const request = LoginRequestSchema.safeParse({ username, password });
  if (!request.success) return { ok: false, error: { code: 'INVALID', message: describeIssues(request.error) } };
  const res = await fetch('/api/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request.data),
  });
  return readAck(res, LoginResponseSchema);
}

/** GET /api/me: is a stored token still good, and who is it. */
export async function fetchMe(token: string): Promise<Ack<Me>> {
  return readAck(await fetch('/api/me', { headers: { authorization: `Bearer ${token}` } }), MeSchema);
}

/** POST /api/logout: revokes the token; its open sockets close with it. */
export async function logOut(token: string): Promise<void> {
  await fetch('/api/logout', { method: 'POST', headers: { authorization: `Bearer ${token}` } }).catch(() => undefined);
}
