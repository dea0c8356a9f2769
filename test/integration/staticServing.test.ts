import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_DIRS } from '../../server/src/http/staticApps.js';
import { startTestServer, type TestServer } from '../support/harness.js';

// The built apps, as `npm run build` leaves them (npm test builds first).
const supervisorAssets = readdirSync(join(APP_DIRS.supervisor, 'assets'));
const agentAssets = readdirSync(join(APP_DIRS.agent, 'assets'));
const mainScript = /src="\/assets\/(index-[\w-]+\.js)"/.exec(readFileSync(join(APP_DIRS.supervisor, 'index.html'), 'utf8'))![1]!;
const adminChunk = supervisorAssets.find((f) => /^adminPages-[\w-]+\.js$/.test(f))!;
const agentScript = agentAssets.find((f) => /^index-[\w-]+\.js$/.test(f))!;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

/** A plain HTTP GET that takes what it is sent as it is sent (no decoding): the headers and the bytes on the wire. */
function get(path: string, acceptEncoding?: string): Promise<{ status: number; headers: Record<string, string | undefined>; bytes: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        const h = res.headers;
        const one = (n: string) => (Array.isArray(h[n]) ? (h[n] as string[]).join(', ') : (h[n] as string | undefined));
        resolve({
          status: res.statusCode!,
          headers: {
            'content-type': one('content-type'),
            'content-encoding': one('content-encoding'),
            'cache-control': one('cache-control'),
            vary: one('vary'),
          },
          bytes: raw.length,
          body: h['content-encoding'] ? '' : raw.toString(),
        });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('serving the apps', () => {
  it('index.html: brotli when asked for it, checked on every load (no-cache)', async () => {
    const page = await get('/', 'gzip, deflate, br');
    expect(page).toMatchObject({ status: 200 });
    expect(page.headers).toEqual({
      'content-type': 'text/html; charset=utf-8',
      'content-encoding': 'br',
      'cache-control': 'no-cache',
      vary: 'Origin, accept-encoding',
    });
    // An app route gets the same page, the same way.
    expect((await get('/users', 'br')).headers).toEqual(page.headers);
    expect((await get('/agent/', 'gzip')).headers).toEqual({ ...page.headers, 'content-encoding': 'gzip' });
  });

  it('hashed assets: compressed, cached for a year as immutable; smaller on the wire than as files', async () => {
    const script = await get(`/assets/${mainScript}`, 'gzip');
    expect(script.status).toBe(200);
    expect(script.headers).toEqual({
      'content-type': 'application/javascript; charset=utf-8',
      'content-encoding': 'gzip',
      'cache-control': 'public, max-age=31536000, immutable',
      vary: 'Origin, accept-encoding',
    });
    const plain = await get(`/assets/${mainScript}`);
    expect(plain.headers).toEqual({
      'content-type': 'application/javascript; charset=utf-8',
      'content-encoding': undefined,
      'cache-control': 'public, max-age=31536000, immutable',
      vary: 'Origin',
    });
    expect(script.bytes).toBeLessThan(plain.bytes / 2);
    expect((await get(`/agent/assets/${agentScript}`, 'br')).headers).toMatchObject({
      'content-encoding': 'br',
      'cache-control': 'public, max-age=31536000, immutable',
    });
  });

  it('source maps are not served, and a missing asset is a 404, not the app page', async () => {
    const maps = supervisorAssets.filter((f) => f.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(0);
    for (const path of [...maps.map((f) => `/assets/${f}`), '/assets/index-missing.js', '/agent/assets/index-missing.js']) {
      const r = await get(path);
      expect({ path, status: r.status, type: r.headers['content-type'] }).toEqual({ path, status: 404, type: 'application/json; charset=utf-8' });
    }
    // Nor do the scripts name them.
    expect(plain(`/assets/${mainScript}`)).not.toContain('sourceMappingURL');
  });

  it('the admin pages are a chunk of their own, fetched only when one is opened', async () => {
    expect(adminChunk).toBeDefined();
    const main = plain(`/assets/${mainScript}`);
    expect(main).toContain(adminChunk);
    expect(main).not.toContain('Audit filters');
    expect(plain(`/assets/${adminChunk}`)).toContain('Audit filters');
    expect(readFileSync(join(APP_DIRS.supervisor, 'index.html'), 'utf8')).not.toContain('adminPages');
    expect((await get(`/assets/${adminChunk}`, 'br')).headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });
});

function plain(path: string): string {
  return readFileSync(join(APP_DIRS.supervisor, path.replace(/^\//, '')), 'utf8');
}
