import { encodeFrame, MEDIA_CLOSE_CODES, MEDIA_TOKEN_TTL_MS } from '@earshot/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toneFrame } from '../support/goertzel.js';
import { call, closeAllSockets, connectAs, ok, type ClientSocket } from '../support/harness.js';
import { agentOnCall, MediaClient, mediaUrl, startMediaTestServer, type MediaTestServer } from '../support/mediaHarness.js';

let server: MediaTestServer;
let agent: ClientSocket;
let agentId: number;
let callId: string;
let manager: ClientSocket;
let sessionId: string;

const supervisorToken = () => ok(manager, 'media:token', { sessionId });
const agentToken = () => ok(agent, 'media:token', { callId });

async function refused(url: string, headers: Record<string, string> = {}) {
  try {
    await MediaClient.open(url, 'supervisor', headers);
  } catch (e) {
    return e as { status: number; body: unknown };
  }
  throw new Error('the upgrade was accepted');
}

beforeAll(async () => {
  server = await startMediaTestServer();
  ({ socket: agent, agentId, callId } = await agentOnCall(server, 'agent.billing'));
  manager = (await connectAs(server.url, 'manager.billing')).socket;
  sessionId = (await ok(manager, 'supervise:start', { agentId, mode: 'monitor' })).session.sessionId;
});
afterAll(async () => {
  closeAllSockets();
  await server.close();
});

describe('media:token', () => {
  it('binds a supervisor to their session and an agent to their call; the answer names the path and the track to send', async () => {
    expect(await supervisorToken()).toMatchObject({ path: '/media', callId, sessionId, sends: 'supervisor' });
    expect(await agentToken()).toMatchObject({ path: '/media', callId, sessionId: null, sends: 'agent' });
  });

  it("refuses another supervisor's session, a call not on your phone, a Manager asking for a call, and both or neither", async () => {
    const admin = (await connectAs(server.url, 'admin')).socket;
    expect(await call(admin, 'media:token', { sessionId })).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: expect.stringMatching(/^Session .* belongs to /) },
    });
    const otherAgent = (await connectAs(server.url, 'agent.sales')).socket;
    expect(await call(otherAgent, 'media:token', { callId })).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: `callId: call ${callId} is not on your phone` },
    });
    expect(await call(otherAgent, 'media:token', { sessionId })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await call(manager, 'media:token', { callId })).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'Your profile (Manager) does not hold Handle Calls (calls.handle)' },
    });
    const both = await call(manager, 'media:token', { sessionId, callId });
    expect(both).toEqual({
      ok: false,
      error: { code: 'INVALID', message: 'Give exactly one of a supervision session (sessionId) or your own call (callId).' },
    });
    expect(await call(manager, 'media:token', { sessionId: 'sup-nope' })).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'sessionId: no supervision session sup-nope' },
    });
  });
});

describe('the upgrade', () => {
  it('needs a token, a genuine one, once, before it expires: else 401 with the envelope', async () => {
    const base = `${server.url.replace(/^http/, 'ws')}/media`;
    expect(await refused(base)).toMatchObject({
      status: 401,
      body: { ok: false, error: { code: 'UNAUTHENTICATED', message: 'A media token is required (?token=, from media:token)' } },
    });
    const token = await supervisorToken();
    const forged = token.token.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    expect(await refused(mediaUrl(server, forged))).toMatchObject({ status: 401, body: { error: { message: 'The media token is not valid' } } });
    const first = await MediaClient.open(mediaUrl(server, token), 'supervisor');
    expect(await refused(mediaUrl(server, token))).toMatchObject({
      status: 401,
      body: { error: { message: 'The media token was already used; ask for a new one (media:token)' } },
    });
    first.close();
    const late = await supervisorToken();
    server.clock.advance(MEDIA_TOKEN_TTL_MS + 1);
    expect(await refused(mediaUrl(server, late))).toMatchObject({
      status: 401,
      body: { error: { message: 'The media token has expired; ask for a new one (media:token)' } },
    });
  });

  it('refuses a foreign browser origin (403)', async () => {
    expect(await refused(mediaUrl(server, await supervisorToken()), { origin: 'https://evil.example' })).toMatchObject({
      status: 403,
      body: { error: { code: 'FORBIDDEN', message: 'Origin https://evil.example is not allowed' } },
    });
  });

  it('refuses a token whose session has ended (404)', async () => {
    const trainer = (await connectAs(server.url, 'trainer')).socket;
    const t = (await ok(trainer, 'supervise:start', { agentId, mode: 'monitor' })).session.sessionId;
    const trainerToken = await ok(trainer, 'media:token', { sessionId: t });
    await ok(trainer, 'supervise:stop', { sessionId: t });
    expect(await refused(mediaUrl(server, trainerToken))).toMatchObject({
      status: 404,
      body: { error: { code: 'NOT_FOUND', message: `The supervision session ${t} has ended` } },
    });
  });
});

describe('frames in', () => {
  it('a text message, a short frame or another track closes the socket with 4400 and the reason', async () => {
    const cases: [string, (c: MediaClient) => void, string][] = [
      ['text', (c) => c.ws.send('hello'), 'frame: text messages are not part of the media protocol'],
      ['short', (c) => c.ws.send(new Uint8Array(10)), 'frame: expected 336 bytes, got 10'],
      [
        'track',
        (c) => c.ws.send(encodeFrame({ track: 'supervisor', seq: 0, timestamp: 0, samples: toneFrame(880, 0) })),
        'frame: this socket sends the agent track, not supervisor',
      ],
    ];
    for (const [, send, reason] of cases) {
      const client = await MediaClient.open(mediaUrl(server, await agentToken()), 'agent');
      send(client);
      expect(await client.closed).toEqual({ code: MEDIA_CLOSE_CODES.INVALID_FRAME, reason });
    }
  });

  it('a message over maxPayload (one frame) closes the socket with 1009', async () => {
    const client = await MediaClient.open(mediaUrl(server, await agentToken()), 'agent');
    client.ws.send(new Uint8Array(4096));
    expect((await client.closed).code).toBe(1009);
  });

  it('a sender far ahead of real time is closed with 4429', async () => {
    const client = await MediaClient.open(mediaUrl(server, await agentToken()), 'agent');
    client.sendTone(200);
    expect(await client.closed).toEqual({ code: MEDIA_CLOSE_CODES.TOO_FAST, reason: 'too fast: frames arrive faster than real time' });
  });

  it('a newer socket for the same session replaces the older one (4409)', async () => {
    const older = await MediaClient.open(mediaUrl(server, await supervisorToken()), 'supervisor');
    const newer = await MediaClient.open(mediaUrl(server, await supervisorToken()), 'supervisor');
    expect(await older.closed).toEqual({ code: MEDIA_CLOSE_CODES.REPLACED, reason: 'replaced by a newer media socket' });
    newer.close();
  });
});

describe('the session behind the socket', () => {
  it('a supervisor whose profile loses the right is cut off at once (4000, rights-revoked)', async () => {
    const trainer = (await connectAs(server.url, 'trainer')).socket;
    const t = (await ok(trainer, 'supervise:start', { agentId, mode: 'monitor' })).session.sessionId;
    const media = await MediaClient.open(mediaUrl(server, await ok(trainer, 'media:token', { sessionId: t })), 'supervisor');
    const admin = (await connectAs(server.url, 'admin')).socket;
    const profile = (await ok(admin, 'profiles:list', {})).profiles.find((p) => p.name === 'Trainer')!;
    await ok(admin, 'profiles:update', { profileId: profile.id, rights: profile.rights.filter((r) => !r.startsWith('live.')) });
    expect(await media.closed).toEqual({ code: MEDIA_CLOSE_CODES.ENDED, reason: 'rights-revoked' });
  });
});

describe('backpressure', () => {
  it('a listener that stops reading is closed as too slow (4408) once a second of audio waits unread, though the kernel would take minutes of it; the others are not held up', async () => {
    const slow = await MediaClient.open(mediaUrl(server, await supervisorToken()), 'supervisor');
    const healthy = await MediaClient.open(mediaUrl(server, await agentToken()), 'agent');
    // Both read at first: a second and a half of audio passes, nothing is closed.
    for (let i = 0; i < 75; i++) {
      server.stepAudio();
      await new Promise((r) => setImmediate(r));
    }
    await slow.flush();
    expect(slow.take().length).toBe(75);
    const before = server.media.stats();
    slow.ws.pause();
    let frames = 0;
    while (server.media.stats().tooSlowClosed === before.tooSlowClosed && frames < 3000) {
      server.stepAudio();
      frames++;
      await new Promise((r) => setImmediate(r));
      healthy.take();
    }
    console.log(`paused media listener: closed 4408 after ${frames} frames of its track (${frames * 20} ms of audio) since it stopped reading`);
    expect(server.media.stats().tooSlowClosed).toBe(before.tooSlowClosed + 1);
    // A second of audio (50 frames) unread, counted from what it had shown it read before it stopped (a probe
    // goes every 25th frame; here it had read 75 and answered for all 75): the 51st closes it.
    expect(frames).toBe(51);
    slow.ws.resume();
    expect(await slow.closed).toEqual({ code: MEDIA_CLOSE_CODES.TOO_SLOW, reason: 'too slow: 1000 ms of customer audio sent and not read' });
    // It got what the network had taken before the close, in order, and nothing after it.
    const got = slow.take().map((f) => f.seq);
    expect(got.length).toBeGreaterThan(0);
    expect(got).toEqual(got.map((_, i) => got[0]! + i));
    expect(got.length).toBeLessThan(frames);
    // The agent's socket, read all along, is still open and still served.
    healthy.take();
    server.stepAudio();
    await healthy.flush();
    expect(healthy.take().map((f) => f.track)).toEqual(['customer']);
  });
});
