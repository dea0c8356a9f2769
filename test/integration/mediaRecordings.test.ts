import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Recording } from '@earshot/shared';
import { WaveFile } from 'wavefile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tonesIn } from '../support/goertzel.js';
import { closeAllSockets, login, ok } from '../support/harness.js';
import { agentOnCall, MediaClient, mediaUrl, startMediaTestServer, type MediaTestServer } from '../support/mediaHarness.js';

let server: MediaTestServer;
let recording: Recording;
const tokens: Record<string, string> = {};

const FRAMES = 25;

function get(path: string, who: string | null, headers: Record<string, string> = {}) {
  return fetch(`${server.url}${path}`, { headers: who ? { authorization: `Bearer ${tokens[who]}`, ...headers } : headers });
}

async function envelope(res: Response) {
  return { status: res.status, body: await res.json() };
}

beforeAll(async () => {
  server = await startMediaTestServer();
  for (const who of ['manager.billing', 'manager.sales', 'agent.billing', 'admin', 'privileged.support', 'limited'])
    tokens[who] = (await login(server.url, who)).token;
  const { socket: agent, callId } = await agentOnCall(server, 'agent.billing');
  await ok(agent, 'recording:start', { callId });
  const agentMedia = await MediaClient.open(mediaUrl(server, await ok(agent, 'media:token', { callId })), 'agent');
  agentMedia.sendTone(FRAMES);
  await agentMedia.flush();
  for (let i = 0; i < FRAMES; i++) server.stepAudio();

  // While the call is still recorded, its recording is listed but cannot be played or exported yet.
  const listed = await (await get(`/api/recordings?callId=${callId}`, 'manager.billing')).json();
  expect(listed.data.recordings[0]).toMatchObject({ callId, endedAt: null });
  expect(await envelope(await get(`/api/recordings/${listed.data.recordings[0].id}/export`, 'manager.billing'))).toMatchObject({
    status: 409,
    body: { ok: false, error: { code: 'CONFLICT' } },
  });

  await ok(agent, 'call:hangUp', { callId });
  await server.media.settled();
  recording = (await (await get(`/api/recordings?callId=${callId}`, 'manager.billing')).json()).data.recordings[0];
});
afterAll(async () => {
  closeAllSockets();
  await server.close();
});

describe('list', () => {
  it('shows a recording to those whose scope holds its agent, with its metadata', async () => {
    expect(recording).toMatchObject({ agentName: expect.any(String), queue: 'Billing', direction: 'inbound', durationMs: FRAMES * 20, pausedSpans: [] });
    expect(recording.endedAt).not.toBeNull();
    expect((recording as unknown as Record<string, unknown>).file).toBeUndefined();
    const sales = await envelope(await get('/api/recordings', 'manager.sales'));
    expect(sales).toEqual({ status: 200, body: { ok: true, data: { recordings: [], nextBefore: null } } });
    const privileged = await envelope(await get('/api/recordings', 'privileged.support'));
    expect(privileged.body.data.recordings).toEqual([]);
  });

  it('refuses an Agent (no recording right) and a query out of scope, and without a login', async () => {
    expect(await envelope(await get('/api/recordings', 'agent.billing'))).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    expect(await envelope(await get(`/api/recordings?agentId=${recording.agentId}`, 'manager.sales'))).toMatchObject({
      status: 403,
      body: { error: { code: 'OUT_OF_SCOPE' } },
    });
    expect(await envelope(await get('/api/recordings', null))).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHENTICATED' } } });
    expect(await envelope(await get('/api/recordings?limit=0', 'admin'))).toMatchObject({
      status: 400,
      body: { error: { code: 'INVALID', message: 'The limit must be at least 1.' } },
    });
  });
});

describe('playback with range requests', () => {
  it('serves the whole file, a range, a suffix; refuses a range past the end with 416', async () => {
    const whole = await get(`/api/recordings/${recording.id}/audio`, 'manager.billing');
    expect(whole.status).toBe(200);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    const bytes = new Uint8Array(await whole.arrayBuffer());
    expect(bytes.length).toBe(44 + FRAMES * 160 * 4);
    expect(recording.bytes).toBe(FRAMES * 160 * 4);

    const head = await get(`/api/recordings/${recording.id}/audio`, 'manager.billing', { range: 'bytes=0-43' });
    expect(head.status).toBe(206);
    expect(head.headers.get('content-range')).toBe(`bytes 0-43/${bytes.length}`);
    const headBytes = new Uint8Array(await head.arrayBuffer());
    expect(new TextDecoder().decode(headBytes.subarray(0, 4))).toBe('RIFF');
    expect([...headBytes]).toEqual([...bytes.subarray(0, 44)]);

    const tail = await get(`/api/recordings/${recording.id}/audio`, 'manager.billing', { range: 'bytes=-640' });
    expect(tail.status).toBe(206);
    expect([...new Uint8Array(await tail.arrayBuffer())]).toEqual([...bytes.subarray(bytes.length - 640)]);

    const past = await get(`/api/recordings/${recording.id}/audio`, 'manager.billing', { range: `bytes=${bytes.length}-` });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${bytes.length}`);
  });

  it('a Manager cannot play a recording out of scope', async () => {
    expect(await envelope(await get(`/api/recordings/${recording.id}/audio`, 'manager.sales'))).toEqual({
      status: 403,
      body: {
        ok: false,
        error: {
          code: 'OUT_OF_SCOPE',
          message: `User ${recording.agentId} is outside your scope (managed: yourself and the members of the teams you supervise)`,
        },
      },
    });
  });

  it('a ticket opens the audio for an <audio> element without the header, for that recording only', async () => {
    const res = await fetch(`${server.url}/api/recordings/${recording.id}/ticket`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens['manager.billing']}` },
    });
    const { data } = await res.json();
    const played = await fetch(`${server.url}${data.audioUrl}`, { headers: { range: 'bytes=0-3' } });
    expect(played.status).toBe(206);
    expect(new TextDecoder().decode(await played.arrayBuffer())).toBe('RIFF');
    expect((await fetch(`${server.url}/api/recordings/${recording.id + 1}/audio?ticket=${encodeURIComponent(data.ticket)}`)).status).toBe(401);
    // The Manager's profile holds Export Recording too; the ticket is checked against it on the export URL.
    expect((await fetch(`${server.url}${data.exportUrl}`)).status).toBe(200);
    // A ticket, which may show in a URL, never deletes.
    const withTicket = await fetch(`${server.url}/api/recordings/${recording.id}?ticket=${encodeURIComponent(data.ticket)}`, { method: 'DELETE' });
    expect(await envelope(withTicket)).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHENTICATED', message: 'A login token is required' } } });
    const outOfScope = await fetch(`${server.url}/api/recordings/${recording.id}/ticket`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens['manager.sales']}` },
    });
    expect(outOfScope.status).toBe(403);
  });
});

describe('export', () => {
  it('downloads a file that a WAV library parses: stereo 8 kHz 16-bit, the customer left and the agent right', async () => {
    const res = await get(`/api/recordings/${recording.id}/export`, 'manager.billing');
    expect(res.status).toBe(200);
    // Named for people: queue, start (UTC), number; never the internal call id.
    const started = new Date(recording.startedAt).toISOString().slice(0, 19).replace(/:/g, '-');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="earshot-${recording.queue}-${started}Z-${recording.id}.wav"`);
    expect(res.headers.get('content-disposition')).not.toContain(recording.callId);
    const wav = new WaveFile(new Uint8Array(await res.arrayBuffer()));
    expect(wav.fmt).toMatchObject({ audioFormat: 1, numChannels: 2, sampleRate: 8000, bitsPerSample: 16 });
    const [left, right] = wav.getSamples(false, Int16Array) as unknown as Int16Array[];
    expect(left!.length).toBe(FRAMES * 160);
    expect(tonesIn(left!.subarray(0, 160))).toEqual(['customer']);
    expect(tonesIn(right!.subarray(0, 160))).toEqual(['agent']);
  });

  it('is refused to a Trainer, who may play but not export', async () => {
    const trainer = (await login(server.url, 'trainer')).token;
    const res = await fetch(`${server.url}/api/recordings/${recording.id}/export`, { headers: { authorization: `Bearer ${trainer}` } });
    expect(await envelope(res)).toEqual({
      status: 403,
      body: { ok: false, error: { code: 'FORBIDDEN', message: 'Your profile (Trainer) does not hold Export Recording (recording.export)' } },
    });
  });
});

describe('delete', () => {
  it('an Agent cannot delete a recording', async () => {
    const res = await fetch(`${server.url}/api/recordings/${recording.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${tokens['agent.billing']}` },
    });
    expect(await envelope(res)).toEqual({
      status: 403,
      body: { ok: false, error: { code: 'FORBIDDEN', message: 'Your profile (Agent) does not hold Delete Recording (recording.delete)' } },
    });
  });

  it('a Manager out of scope cannot; the Manager of the team can, and the file is gone for good', async () => {
    const del = (who: string) =>
      fetch(`${server.url}/api/recordings/${recording.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${tokens[who]}` } });
    expect((await del('manager.sales')).status).toBe(403);
    const files = await server.store.recordings.get(recording.id);
    expect(existsSync(join(server.recordingsDir, files!.file))).toBe(true);
    expect(await envelope(await del('manager.billing'))).toEqual({ status: 200, body: { ok: true, data: { recordingId: recording.id } } });
    expect(existsSync(join(server.recordingsDir, files!.file))).toBe(false);
    expect((await get(`/api/recordings/${recording.id}/audio`, 'admin')).status).toBe(404);
    expect((await (await get('/api/recordings', 'admin')).json()).data.recordings).toEqual([]);
  });
});

describe('audit', () => {
  it('every request on a recording, done or refused, is in the audit log', async () => {
    const { records } = await server.store.audit.query({ action: 'recordings:', limit: 500 });
    const seen = new Set(records.map((r) => `${r.action} ${r.actorName ? r.actorId : 'anonymous'} ${r.outcome}`));
    const id = async (who: string) => (await server.store.users.credentials(who))!.id;
    for (const line of [
      `recordings:list ${await id('manager.billing')} ok`,
      `recordings:list ${await id('agent.billing')} denied`,
      'recordings:list anonymous denied',
      `recordings:play ${await id('manager.billing')} ok`,
      `recordings:play ${await id('manager.billing')} refused`,
      `recordings:play ${await id('manager.sales')} denied`,
      `recordings:ticket ${await id('manager.billing')} ok`,
      `recordings:export ${await id('manager.billing')} ok`,
      `recordings:export ${await id('manager.billing')} refused`,
      `recordings:delete ${await id('agent.billing')} denied`,
      `recordings:delete ${await id('manager.billing')} ok`,
    ])
      expect(seen).toContain(line);
    const deleted = records.find((r) => r.action === 'recordings:delete' && r.outcome === 'ok')!;
    expect(deleted).toMatchObject({
      targetType: 'recording',
      targetId: String(recording.id),
      detail: { callId: recording.callId, agentId: recording.agentId },
    });
  });
});
