import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/harness.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close().catch(() => undefined);
  server = undefined;
});

async function get(path: string) {
  const res = await fetch(`${server!.url}${path}`);
  return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
}

describe('operating the server over HTTP', () => {
  it('/api/ready answers 200 while the store answers, 503 once it does not', async () => {
    server = await startTestServer();
    expect(await get('/api/ready')).toMatchObject({ status: 200, body: JSON.stringify({ ok: true, data: { status: 'ready' } }) });
    server.store.close();
    expect(await get('/api/ready')).toMatchObject({
      status: 503,
      body: JSON.stringify({ ok: false, error: { code: 'INTERNAL', message: 'Not ready: the store does not answer' } }),
    });
  });

  it('/api/ready turns 503 as soon as shutdown begins, while the server still answers', async () => {
    server = await startTestServer();
    // Shutdown first stops the media plane; hold it there so the server is still up and shutting down.
    const media = server.media;
    const closeMedia = media.close.bind(media);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    media.close = async () => {
      await held;
      await closeMedia();
    };
    const closing = server.close();
    expect(await get('/api/ready')).toMatchObject({
      status: 503,
      body: JSON.stringify({ ok: false, error: { code: 'INTERNAL', message: 'Not ready: shutting down' } }),
    });
    expect((await get('/api/health')).status).toBe(200);
    release();
    await closing;
    server = undefined;
  });

  it('with a drain, the stopping server keeps its port open and answers 503 on /api/ready until the drain is over', async () => {
    server = await startTestServer({ shutdownDrainMs: 600 });
    const started = Date.now();
    const closing = server.close().then(() => Date.now() - started);
    const seen: { status: number; message: string }[] = [];
    // Polled for 400 ms, well inside the 600 ms drain: every answer is the 503, none a refused connection.
    while (Date.now() - started < 400) {
      const r = await get('/api/ready');
      seen.push({ status: r.status, message: JSON.parse(r.body).error?.message });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(seen.length).toBeGreaterThanOrEqual(4);
    expect(new Set(seen.map((s) => JSON.stringify(s)))).toEqual(new Set([JSON.stringify({ status: 503, message: 'Not ready: shutting down' })]));
    expect(await closing).toBeGreaterThanOrEqual(600);
    await expect(fetch(`${server.url}/api/health`)).rejects.toThrow();
    server = undefined;
  });

  it('unknown paths under /api/ and /metrics answer a JSON 404, not the app page', async () => {
    server = await startTestServer();
    for (const path of ['/metrics', '/metrics/extra', '/api', '/api/nothing-here', '/api/nothing/here?x=1']) {
      const r = await get(path);
      expect({ path, status: r.status, type: r.type }).toEqual({ path, status: 404, type: 'application/json; charset=utf-8' });
      expect(JSON.parse(r.body)).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: `No route GET ${path.split('?')[0]}` } });
    }
    expect((await get('/users')).type).toBe('text/html; charset=utf-8');
  });
});
