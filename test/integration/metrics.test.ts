import type { AgentPhoneState, HandshakeAuth } from '@earshot/shared';
import { io as connectSocket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordingFileOpener } from '../../server/src/media/wavFile.js';
import { until } from '../support/floor.js';
import { call, login, nextEvent, ok, startTestServer, userId, type ClientSocket } from '../support/harness.js';
import { MediaClient, mediaUrl, startMediaTestServer, type MediaTestServer } from '../support/mediaHarness.js';

const TOKEN = 'metrics-token-for-the-test-0001';

/** A disk that refuses every recording: each recorded call is one recorder failure. */
const fullDisk: RecordingFileOpener = async () => {
  throw Object.assign(new Error('ENOSPC: no space left on device, open'), { code: 'ENOSPC' });
};

let server: MediaTestServer;
const sockets: ClientSocket[] = [];

/** A control socket that says which app it is, as the supervisor app and the agent plugin do. */
async function connectAs(username: string, client: HandshakeAuth['client']): Promise<ClientSocket> {
  const { token } = await login(server.url, username);
  const socket: ClientSocket = connectSocket(server.url, {
    auth: { token, client } satisfies HandshakeAuth,
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

async function scrape(token: string | null = TOKEN, target: { url: string } = server) {
  const res = await fetch(`${target.url}/metrics`, token === null ? {} : { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, type: res.headers.get('content-type'), authenticate: res.headers.get('www-authenticate'), body: await res.text() };
}

/** The samples of a scrape by their full name with labels, e.g. `earshot_sockets_connected{kind="media"}`. */
async function samples(): Promise<Map<string, number>> {
  const { status, body } = await scrape();
  expect(status).toBe(200);
  const out = new Map<string, number>();
  for (const line of body.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

beforeAll(async () => {
  server = await startMediaTestServer({ metricsToken: TOKEN, loginMaxFailures: 2 }, { openRecordingFile: fullDisk });
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await server.close();
});

describe('/metrics', () => {
  it('answers 401 with the envelope without the token or with another one; 404 when no token is set', async () => {
    const unauthenticated = {
      status: 401,
      type: 'application/json; charset=utf-8',
      authenticate: 'Bearer realm="metrics"',
      body: JSON.stringify({
        ok: false,
        error: { code: 'UNAUTHENTICATED', message: 'GET /metrics needs the metrics token: Authorization: Bearer <METRICS_TOKEN>' },
      }),
    };
    expect(await scrape(null)).toEqual(unauthenticated);
    expect(await scrape(`${TOKEN}x`)).toEqual(unauthenticated);
    expect(await scrape('short')).toEqual(unauthenticated);

    const off = await startTestServer();
    try {
      expect(await scrape(TOKEN, off)).toEqual({
        status: 404,
        type: 'application/json; charset=utf-8',
        authenticate: null,
        body: JSON.stringify({ ok: false, error: { code: 'NOT_FOUND', message: 'No route GET /metrics' } }),
      });
    } finally {
      await off.close();
    }
  });

  it('answers the Prometheus text format with the token, the process metrics among it', async () => {
    const r = await scrape();
    expect({ status: r.status, type: r.type }).toEqual({ status: 200, type: 'text/plain; version=0.0.4; charset=utf-8' });
    expect(r.body).toContain('# TYPE nodejs_eventloop_lag_p99_seconds gauge');
    expect(r.body).toContain('# TYPE earshot_action_duration_seconds histogram');
  });

  it('counts sockets by kind, sessions by mode, actions by outcome, frames, recorder failures and lockouts as they happen', async () => {
    const before = await samples();
    expect(before.get('earshot_sockets_connected{kind="agent"}')).toBe(0);
    expect(before.get('earshot_sockets_connected{kind="supervisor"}')).toBe(0);
    expect(before.get('earshot_sockets_connected{kind="media"}')).toBe(0);
    expect(before.get('earshot_login_lockouts_total')).toBe(0);
    expect(before.get('earshot_recorder_failures_total')).toBe(0);
    expect(before.get('earshot_media_frames_routed_total{listener="supervisor"}')).toBe(0);
    expect(before.get('earshot_media_frames_dropped_total{listener="supervisor"}')).toBe(0);
    expect([...before.keys()].filter((k) => k.startsWith('earshot_supervision_sessions'))).toEqual([]);
    expect([...before.keys()].filter((k) => k.startsWith('earshot_actions_total{action="auth:login"'))).toEqual([]);

    // An agent (the plugin) answers a call the simulator offers; a supervisor (the app) monitors it.
    const agent = await connectAs('agent.billing', 'agent');
    await ok(agent, 'agent:attach', {});
    await ok(agent, 'agent:status', { status: 'available' });
    const agentId = await userId(server, 'agent.billing');
    const ringing = nextEvent<{ phone: AgentPhoneState }>(agent, 'agent:phone');
    server.simulator!.placeCall({ toUserId: agentId });
    server.simulator!.tick();
    const callId = (await ringing).phone.call!.callId;
    await ok(agent, 'call:answer', { callId });
    const manager = await connectAs('manager.billing', 'supervisor');
    const { session } = await ok(manager, 'supervise:start', { agentId, mode: 'monitor' });
    expect(await call(manager, 'media:token', { callId })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const listener = await MediaClient.open(mediaUrl(server, await ok(manager, 'media:token', { sessionId: session.sessionId })), 'supervisor');
    for (let i = 0; i < 10; i++) server.stepAudio();
    await until(() => listener.take().length > 0, 3000, 'audio at the supervisor');

    // The recorder's disk is full: the recording fails at once.
    await ok(manager, 'recording:start', { callId });
    await until(() => server.media.stats().recorderFailures === 1, 3000, 'the recorder failure');
    // Two wrong passwords lock the username out (LOGIN_MAX_FAILURES=2).
    for (let i = 0; i < 2; i++)
      await fetch(`${server.url}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'agent.sales', password: 'wrong' }),
      });

    const during = await samples();
    expect(during.get('earshot_sockets_connected{kind="agent"}')).toBe(1);
    expect(during.get('earshot_sockets_connected{kind="supervisor"}')).toBe(1);
    expect(during.get('earshot_sockets_connected{kind="other"}')).toBe(0);
    expect(during.get('earshot_sockets_connected{kind="media"}')).toBe(1);
    expect(during.get('earshot_supervision_sessions{mode="monitor"}')).toBe(1);
    expect(during.get('earshot_actions_total{action="supervise:start",outcome="ok"}')).toBe(1);
    expect(during.get('earshot_actions_total{action="media:token",outcome="ok"}')).toBe(1);
    expect(during.get('earshot_actions_total{action="media:token",outcome="FORBIDDEN"}')).toBe(1);
    expect(during.get('earshot_actions_total{action="call:answer",outcome="ok"}')).toBe(1);
    expect(during.get('earshot_action_duration_seconds_count{action="supervise:start"}')).toBe(1);
    expect(during.get('earshot_action_duration_seconds_bucket{le="+Inf",action="supervise:start"}')).toBe(1);
    expect(during.get('earshot_media_frames_routed_total{listener="supervisor"}')).toBeGreaterThanOrEqual(10);
    expect(during.get('earshot_media_frames_dropped_total{listener="supervisor"}')).toBe(0);
    expect(during.get('earshot_recorder_failures_total')).toBe(1);
    expect(during.get('earshot_login_lockouts_total')).toBe(1);
    // HTTP routes count as actions too: two sign-ins, two wrong passwords (the second locks the username out).
    expect(during.get('earshot_actions_total{action="auth:login",outcome="ok"}')).toBe(2);
    expect(during.get('earshot_actions_total{action="auth:login",outcome="UNAUTHENTICATED"}')).toBe(2);
    expect(during.get('earshot_action_duration_seconds_count{action="auth:login"}')).toBe(4);

    // More audio moves the routed counter; a mode change moves the session to its mode; stopping ends it.
    const routed = during.get('earshot_media_frames_routed_total{listener="supervisor"}')!;
    for (let i = 0; i < 5; i++) server.stepAudio();
    await ok(manager, 'supervise:mode', { sessionId: session.sessionId, mode: 'coach' });
    const after = await samples();
    expect(after.get('earshot_media_frames_routed_total{listener="supervisor"}')).toBe(routed + 5);
    expect(after.get('earshot_supervision_sessions{mode="coach"}')).toBe(1);
    expect(after.get('earshot_supervision_sessions{mode="monitor"}')).toBeUndefined();
    await ok(manager, 'supervise:stop', { sessionId: session.sessionId });
    await listener.closed;
    const stopped = await samples();
    expect([...stopped.keys()].filter((k) => k.startsWith('earshot_supervision_sessions'))).toEqual([]);
    expect(stopped.get('earshot_sockets_connected{kind="media"}')).toBe(0);
    // The closed socket's frames stay counted.
    expect(stopped.get('earshot_media_frames_routed_total{listener="supervisor"}')).toBe(routed + 5);
    expect(stopped.get('earshot_actions_total{action="supervise:stop",outcome="ok"}')).toBe(1);
    // A third wrong password meets the lockout; a recording listing is an HTTP route like any other.
    await fetch(`${server.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'agent.sales', password: 'wrong' }),
    });
    await fetch(`${server.url}/api/recordings`);
    const http = await samples();
    expect(http.get('earshot_actions_total{action="auth:login",outcome="RATE_LIMITED"}')).toBe(1);
    expect(http.get('earshot_actions_total{action="recordings:list",outcome="UNAUTHENTICATED"}')).toBe(1);
  });
});
