import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/harness.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const POLICY = [
  "default-src 'self'",
  "base-uri 'self'",
  "script-src 'self'",
  "script-src-attr 'none'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "media-src 'self'",
  "object-src 'none'",
  "form-action 'self'",
];

async function headersOf(path: string) {
  const res = await fetch(`${server!.url}${path}`);
  await res.arrayBuffer();
  return res.headers;
}

describe('security headers', () => {
  it('every answer (the apps, the API, a missing route) carries the CSP, nosniff and X-Frame-Options', async () => {
    server = await startTestServer();
    for (const path of ['/', '/agent/', '/users', '/api/health', '/api/no-such-route']) {
      const h = await headersOf(path);
      expect(h.get('content-security-policy'), path).toBe([...POLICY, "frame-ancestors 'self'"].join(';'));
      expect(h.get('x-content-type-options'), path).toBe('nosniff');
      expect(h.get('x-frame-options'), path).toBe('SAMEORIGIN');
      expect(h.get('referrer-policy'), path).toBe('no-referrer');
      expect(h.get('strict-transport-security'), path).toBeNull();
    }
  });

  it('FRAME_ANCESTORS: the desktops that embed the agent page are named in frame-ancestors, and X-Frame-Options gives way to it', async () => {
    server = await startTestServer({ frameAncestors: ["'self'", 'https://desk.example.com', 'https://*.crm.example'] });
    const h = await headersOf('/agent/');
    expect(h.get('content-security-policy')).toBe([...POLICY, "frame-ancestors 'self' https://desk.example.com https://*.crm.example"].join(';'));
    expect(h.get('x-frame-options')).toBeNull();
    expect(h.get('x-content-type-options')).toBe('nosniff');
  });
});
