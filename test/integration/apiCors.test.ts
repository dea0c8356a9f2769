import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../server/src/app.js';
import { startTestServer, type TestServer } from '../support/harness.js';

const ALLOWED = 'https://softphone.example.com';
const FOREIGN = 'https://evil.example.com';

/** A plugin in a page of another origin logs in over HTTP: the API answers CORS for ALLOWED_ORIGINS only. */
describe('CORS on the HTTP API', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ allowedOrigins: [ALLOWED] });
  });
  afterAll(async () => {
    await server?.close();
  });

  const preflight = (origin: string) =>
    fetch(`${server.url}/api/login`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
  const loginFrom = (origin: string) =>
    fetch(`${server.url}/api/login`, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'agent.billing', password: DEMO_PASSWORD }),
    });

  it('an allowed origin may send the login (preflight) and read its answer; no credentials', async () => {
    const pre = await preflight(ALLOWED);
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(pre.headers.get('access-control-allow-methods')).toBe('GET, POST, DELETE');
    expect(pre.headers.get('access-control-allow-headers')).toBe('content-type, authorization');
    expect(pre.headers.get('access-control-allow-credentials')).toBeNull();

    const res = await loginFrom(ALLOWED);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(((await res.json()) as { ok: boolean }).ok).toBe(true);
  });

  it('another origin gets no CORS headers, so its page cannot read the answer', async () => {
    const pre = await preflight(FOREIGN);
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    const res = await loginFrom(FOREIGN);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});
