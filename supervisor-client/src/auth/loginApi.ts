import { LoginRequestSchema, LoginResponseSchema, MeSchema, type Ack, type LoginResponse, type Me } from '@earshot/shared';
import { describeIssues } from '../live/connection';
import { readAck } from '../live/httpAck';

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
