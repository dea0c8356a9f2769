import { afterEach, describe, expect, it } from 'vitest';
import { loginHttp, startTestServer, type TestServer } from '../support/harness.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const from = (address: string) => ({ 'x-forwarded-for': address });

/** Four failed logins from one address (four different usernames) lock that address (LOGIN_MAX_FAILURES 1, four times per address). */
async function failFourTimes(url: string, address: string) {
  for (const username of ['nobody.1', 'nobody.2', 'nobody.3', 'nobody.4']) {
    expect((await loginHttp(url, username, 'wrong', from(address))).status).toBe(401);
  }
}

async function lastLoginAddress() {
  return (await server!.store.audit.query({ action: 'auth:login', limit: 1 })).records[0]?.detail.address;
}

describe('TRUST_PROXY', () => {
  it('on: the client address comes from X-Forwarded-For, so one client locked out does not lock out the others behind the proxy', async () => {
    server = await startTestServer({ trustProxy: true, loginMaxFailures: 1 });
    await failFourTimes(server.url, '203.0.113.7');
    expect(await lastLoginAddress()).toBe('203.0.113.7');
    const locked = await loginHttp(server.url, 'agent.sales', undefined, from('203.0.113.7'));
    expect(locked.body).toEqual({ ok: false, error: { code: 'RATE_LIMITED', message: 'Too many failed logins; try again in 300 s', retryAfter: 300 } });
    const other = await loginHttp(server.url, 'agent.sales', undefined, from('198.51.100.20'));
    expect(other.status).toBe(200);
    expect(await lastLoginAddress()).toBe('198.51.100.20');
  });

  it('a list of proxy addresses: X-Forwarded-For is believed from those proxies only', async () => {
    server = await startTestServer({ trustProxy: ['127.0.0.1'], loginMaxFailures: 1 });
    expect((await loginHttp(server.url, 'agent.sales', undefined, from('198.51.100.20'))).status).toBe(200);
    expect(await lastLoginAddress()).toBe('198.51.100.20');
    await server.close();
    server = await startTestServer({ trustProxy: ['10.9.9.9'], loginMaxFailures: 1 });
    expect((await loginHttp(server.url, 'agent.sales', undefined, from('198.51.100.20'))).status).toBe(200);
    expect(await lastLoginAddress()).toBe('127.0.0.1');
  });

  it('a hop count: the address the nearest proxy saw, not what the client wrote before it', async () => {
    server = await startTestServer({ trustProxy: 1 });
    expect((await loginHttp(server.url, 'agent.sales', undefined, from('192.0.2.66, 198.51.100.20'))).status).toBe(200);
    expect(await lastLoginAddress()).toBe('198.51.100.20');
  });

  it('off (the default): X-Forwarded-For is ignored, so a client cannot pick the address the throttle counts', async () => {
    server = await startTestServer({ loginMaxFailures: 1 });
    for (const [i, username] of ['nobody.1', 'nobody.2', 'nobody.3', 'nobody.4'].entries()) {
      expect((await loginHttp(server.url, username, 'wrong', from(`203.0.113.${i}`))).status).toBe(401);
    }
    expect(await lastLoginAddress()).toBe('127.0.0.1');
    const locked = await loginHttp(server.url, 'agent.sales', undefined, from('198.51.100.20'));
    expect(locked.status).toBe(429);
  });
});
