import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call, closeAllSockets, connect, login, loginHttp, nextEvent, startTestServer, type TestServer } from '../support/harness.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ loginMaxFailures: 3, loginLockoutMs: 60_000, sessionTtlMs: 60 * 60_000 });
});
afterEach(() => closeAllSockets());
afterAll(() => server.close());

async function lastAudit(action: string) {
  return (await server.store.audit.query({ action, limit: 1 })).records[0];
}

describe('login over HTTP', () => {
  it('a right password returns a token and the user with their rights', async () => {
    const { status, body } = await loginHttp(server.url, 'manager.billing');
    expect(status).toBe(200);
    if (!body.ok) throw new Error('refused');
    expect(body.data.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.data.me.username).toBe('manager.billing');
    expect(body.data.me.rights.profileName).toBe('Manager');
    expect(body.data.me.rights.scope).toBe('managed');
    expect(body.data.me.rights.rights).toContain('live.barge');
    expect(body.data.me.rights.rights).not.toContain('live.takeOver');
    expect(await lastAudit('auth:login')).toMatchObject({
      outcome: 'ok',
      actorName: body.data.me.displayName,
      targetType: 'user',
      targetId: String(body.data.me.id),
    });
  });

  it('a wrong password is refused with UNAUTHENTICATED, and audited', async () => {
    const { status, body } = await loginHttp(server.url, 'agent.sales', 'wrong-password');
    expect(status).toBe(401);
    expect(body).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED', message: 'Wrong username or password' } });
    expect(await lastAudit('auth:login')).toMatchObject({ outcome: 'denied', code: 'UNAUTHENTICATED', actorId: null, targetId: 'agent.sales' });
  });

  it('an unknown user gets the same answer as a wrong password', async () => {
    const { body } = await loginHttp(server.url, 'nobody.here', 'whatever');
    expect(body).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED', message: 'Wrong username or password' } });
  });

  it('a malformed body is INVALID naming the field', async () => {
    const res = await fetch(`${server.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'x' }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ ok: false, error: { code: 'INVALID', message: 'The password is missing.' } });
  });

  it('repeated failures are throttled with RATE_LIMITED and Retry-After, even with the right password', async () => {
    for (let i = 0; i < 3; i++) expect((await loginHttp(server.url, 'agent.support', 'bad-guess')).status).toBe(401);
    const locked = await loginHttp(server.url, 'agent.support');
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toBe('60');
    expect(locked.body).toEqual({ ok: false, error: { code: 'RATE_LIMITED', message: 'Too many failed logins; try again in 60 s', retryAfter: 60 } });
    expect(await lastAudit('auth:login')).toMatchObject({ outcome: 'refused', code: 'RATE_LIMITED', targetId: 'agent.support' });
    server.clock.advance(60_001);
    expect((await loginHttp(server.url, 'agent.support')).status).toBe(200);
  });
});

describe('socket handshake', () => {
  it('a valid token connects and receives its rights', async () => {
    const l = await login(server.url, 'trainer');
    const socket = await connect(server.url, l.token);
    const rights = await call(socket, 'me:get', {});
    expect(rights.ok && rights.data.rights.profileName).toBe('Trainer');
  });

  it('no token is refused with UNAUTHENTICATED', async () => {
    const err = await connect(server.url, undefined).catch((e) => e);
    expect(err.message).toBe('A login token is required in the handshake (auth.token)');
    expect(err.data).toEqual({ code: 'UNAUTHENTICATED', message: 'A login token is required in the handshake (auth.token)' });
  });

  it('a forged token is refused with UNAUTHENTICATED', async () => {
    const err = await connect(server.url, 'forged-token-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA').catch((e) => e);
    expect(err.data).toEqual({ code: 'UNAUTHENTICATED', message: 'The login token is invalid or has expired; log in again' });
  });

  it('an expired token is refused with UNAUTHENTICATED', async () => {
    const l = await login(server.url, 'agent.billing');
    await connect(server.url, l.token); // valid now
    server.clock.advance(60 * 60_000 + 1);
    const err = await connect(server.url, l.token).catch((e) => e);
    expect(err.data).toEqual({ code: 'UNAUTHENTICATED', message: 'The login token is invalid or has expired; log in again' });
  });

  it('a foreign Origin is refused with FORBIDDEN; the server own origin is allowed', async () => {
    const l = await login(server.url, 'agent.billing');
    const err = await connect(server.url, l.token, { Origin: 'http://evil.example' }).catch((e) => e);
    expect(err.data).toEqual({ code: 'FORBIDDEN', message: 'Origin http://evil.example is not allowed' });
    const own = await connect(server.url, l.token, { Origin: `http://127.0.0.1:${server.port}` });
    expect(own.connected).toBe(true);
  });

  it('logout revokes the token and disconnects its sockets', async () => {
    const l = await login(server.url, 'agent.sales');
    const socket = await connect(server.url, l.token);
    const disconnected = nextEvent<string>(socket, 'disconnect');
    const res = await fetch(`${server.url}/api/logout`, { method: 'POST', headers: { authorization: `Bearer ${l.token}` } });
    expect(await res.json()).toEqual({ ok: true, data: { loggedOut: true } });
    expect(await disconnected).toBe('io server disconnect');
    const err = await connect(server.url, l.token).catch((e) => e);
    expect(err.data.code).toBe('UNAUTHENTICATED');
    expect(await lastAudit('auth:logout')).toMatchObject({ outcome: 'ok', actorId: l.me.id });
  });
});
