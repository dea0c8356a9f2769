import type { Call, MonitoringHistory, Profile, Team } from '@earshot/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AgentClientError,
  createAgentClient,
  login,
  logout,
  type AgentClient,
  type AgentClientEvents,
  type AgentClientOptions,
  type CallAudio,
  type MediaAccess,
} from '../../agent-client/src/sdk/index.js';
import { DEMO_PASSWORD } from '../../server/src/app.js';
import { closeAllSockets, connectAs, ok, startTestServer, type ClientSocket, type TestServer } from '../support/harness.js';

let server: TestServer;
let admin: ClientSocket;
let profiles: Profile[];
let teams: Team[];
const clients: AgentClient[] = [];

beforeAll(async () => {
  // The production grace (DISCONNECT_GRACE_MS default): a dropped agent keeps its call and sessions this long.
  server = await startTestServer({ disconnectGraceMs: 2000 });
  admin = (await connectAs(server.url, 'admin')).socket;
  profiles = (await ok(admin, 'profiles:list', {})).profiles;
  teams = (await ok(admin, 'teams:list', {})).teams;
});
afterAll(async () => {
  for (const c of clients) c.close();
  closeAllSockets();
  await server.close();
});

const profileId = (key: string) => profiles.find((p) => p.key === key)!.id;
const teamId = (name: string) => teams.find((t) => t.name === name)!.id;

let created = 0;
/** A fresh agent in a team, so that each test has its own phone. */
async function newAgent(displayName: string, team: string, profile = profileId('agent')) {
  const { user } = await ok(admin, 'users:create', {
    username: `sdk.agent.${++created}`,
    displayName,
    password: DEMO_PASSWORD,
    profileId: profile,
    memberOf: [teamId(team)],
  });
  return user;
}

async function connectClient(username: string, options: Partial<AgentClientOptions> = {}): Promise<AgentClient> {
  const { token } = await login({ url: server.url, username, password: DEMO_PASSWORD });
  const client = createAgentClient({ url: server.url, token, ...options });
  clients.push(client);
  return client;
}

/** Every payload of one client event, and a wait for the next one that matches (never one already returned). */
function record<E extends keyof AgentClientEvents>(client: AgentClient, event: E) {
  const seen: AgentClientEvents[E][] = [];
  let cursor = 0;
  let wake = () => {};
  client.on(event, (payload) => {
    seen.push(payload);
    wake();
  });
  return {
    seen,
    next(matches: (p: AgentClientEvents[E]) => boolean = () => true, what = String(event)): Promise<AgentClientEvents[E]> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${what} within 3 s; saw ${JSON.stringify(seen)}`)), 3000);
        const look = () => {
          const i = seen.findIndex((p, at) => at >= cursor && matches(p));
          if (i === -1) return;
          cursor = i + 1;
          clearTimeout(timer);
          wake = () => {};
          resolve(seen[i]!);
        };
        wake = look;
        look();
      });
    },
  };
}

/** The agent is available, a simulated customer calls, the agent answers. */
async function takeCall(client: AgentClient, userId: number): Promise<Call> {
  const phones = record(client, 'phone');
  await client.setStatus('available');
  server.simulator!.placeCall({ toUserId: userId });
  server.simulator!.tick();
  await phones.next((p) => p.state === 'ringing', 'ringing');
  const talking = await client.answer();
  expect(talking.state).toBe('talking');
  return talking.call!;
}

describe('supervision notices', () => {
  it('arrive in order started → changed → ended, naming the supervisor, and the state follows them', async () => {
    const user = await newAgent('Nia Notice', 'Billing');
    const client = await connectClient(user.username);
    const ready = await client.ready();
    expect(ready).toMatchObject({ connection: 'connected', notificationsEnabled: true, supervisions: [], phone: { userId: user.id, state: 'loggedOut' } });
    const call = await takeCall(client, user.id);

    const notices = record(client, 'supervision');
    const shown: string[][] = [];
    client.on('supervision', () => shown.push(client.getState().supervisions.map((n) => `${n.supervisor.name}: ${n.mode}`)));
    const manager = (await connectAs(server.url, 'manager.billing')).socket;
    const { session } = await ok(manager, 'supervise:start', { agentId: user.id, mode: 'monitor' });
    await ok(manager, 'supervise:mode', { sessionId: session.sessionId, mode: 'coach' });
    await ok(manager, 'supervise:stop', { sessionId: session.sessionId });
    await notices.next((n) => n.phase === 'ended');

    expect(session.supervisorName).toBe('Ava Hill');
    expect(notices.seen.map((n) => [n.phase, n.mode, n.reason])).toEqual([
      ['started', 'monitor', null],
      ['changed', 'coach', null],
      ['ended', 'coach', 'stopped'],
    ]);
    for (const n of notices.seen) {
      expect(n).toMatchObject({ sessionId: session.sessionId, callId: call.callId, supervisor: { id: session.supervisorId, name: 'Ava Hill' } });
    }
    expect(shown).toEqual([['Ava Hill: monitor'], ['Ava Hill: coach'], []]);
  });

  it('are not sent to an agent whose profile lacks Live Monitoring Notifications', async () => {
    const user = await newAgent('Pia Private', 'Support', profileId('privilegedUser'));
    const client = await connectClient(user.username);
    expect((await client.ready()).notificationsEnabled).toBe(false);
    await takeCall(client, user.id);
    const notices = record(client, 'supervision');
    const recordings = record(client, 'recording');

    const manager = (await connectAs(server.url, 'manager.support')).socket;
    await ok(manager, 'supervise:start', { agentId: user.id, mode: 'monitor' });
    // A recording notice reaches every agent: once it is here, a supervision notice sent before it would be too.
    await ok(manager, 'recording:start', { callId: client.getState().phone!.call!.callId });
    await recordings.next();
    expect(notices.seen).toEqual([]);
    expect(client.getState().supervisions).toEqual([]);
  });
});

describe("monitoring history ('Who listened to my calls')", () => {
  const DAY = 24 * 60 * 60 * 1000;

  it('monitoringHistory() answers with the supervisions of the agent’s calls from the audit log: who, modes, when, how long, the call', async () => {
    const user = await newAgent('Hana History', 'Billing');
    const client = await connectClient(user.username);
    await client.ready();
    const call = await takeCall(client, user.id);
    const manager = (await connectAs(server.url, 'manager.billing')).socket;
    const startedAt = server.clock.value;
    const { session } = await ok(manager, 'supervise:start', { agentId: user.id, mode: 'monitor' });
    server.clock.advance(20_000);
    await ok(manager, 'supervise:mode', { sessionId: session.sessionId, mode: 'coach' });
    server.clock.advance(40_000);
    await ok(manager, 'supervise:stop', { sessionId: session.sessionId });

    expect(await client.monitoringHistory()).toEqual<MonitoringHistory>({
      since: server.clock.value - 30 * DAY,
      entries: [
        {
          supervisor: 'Ava Hill',
          modes: ['monitor', 'coach'],
          startedAt,
          endedAt: startedAt + 60_000,
          durationMs: 60_000,
          endReason: 'stopped',
          call: { queue: call.queue, number: call.remoteNumberMasked, startedAt: call.startedAt },
        },
      ],
    });
  });

  it('without Live Monitoring Notifications it rejects with an AgentClientError carrying the server’s FORBIDDEN; closed, it is not sent', async () => {
    const user = await newAgent('Pim Private', 'Support', profileId('privilegedUser'));
    const client = await connectClient(user.username);
    expect((await client.ready()).rights!.rights).not.toContain('live.notifications');
    const refusal = await client.monitoringHistory().catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(AgentClientError);
    expect(refusal).toMatchObject({
      code: 'FORBIDDEN',
      message: 'Your profile (Privileged User) does not hold Live Monitoring Notifications (live.notifications)',
    });

    client.close();
    await expect(client.monitoringHistory()).rejects.toMatchObject({
      name: 'AgentClientError',
      code: 'DISCONNECTED',
      message: 'monitoring:history was not sent: not connected to the server (reconnecting)',
    });
  });
});

describe('reconnection', () => {
  /** Closes the agent's transport from the server side, as a network failure would (a server "disconnect" is final). */
  function dropConnection(userId: number) {
    const sockets = [...server.io.of('/').sockets.values()].filter((s) => s.data.userId === userId);
    expect(sockets).toHaveLength(1);
    sockets[0]!.conn.close();
  }

  // A fixed first retry, long enough for the supervisor to act while the agent is away, well within the grace.
  const slowRetry = { reconnectionDelayMs: 600, socketOptions: { randomizationFactor: 0 } };

  it('after a drop mid-session the client re-attaches and shows the active session again, as it is now', async () => {
    const user = await newAgent('Rex Reconnect', 'Sales');
    const client = await connectClient(user.username, slowRetry);
    await client.ready();
    const call = await takeCall(client, user.id);
    const manager = (await connectAs(server.url, 'manager.sales')).socket;
    const notices = record(client, 'supervision');
    const { session } = await ok(manager, 'supervise:start', { agentId: user.id, mode: 'monitor' });
    await notices.next((n) => n.phase === 'started');

    const connection = record(client, 'connection');
    const resyncs = record(client, 'resync');
    dropConnection(user.id);
    await connection.next((c) => c === 'reconnecting');
    expect(client.getState()).toMatchObject({ connection: 'reconnecting', supervisions: [{ sessionId: session.sessionId, mode: 'monitor' }] });
    // Away: the switch to coaching is not pushed to the client; its resync must carry it.
    await ok(manager, 'supervise:mode', { sessionId: session.sessionId, mode: 'coach' });
    await expect(client.hold()).rejects.toMatchObject({ code: 'DISCONNECTED', message: 'call:hold was not sent: not connected to the server (reconnecting)' });

    const resync = await resyncs.next();
    expect(connection.seen).toEqual(['reconnecting', 'connected']);
    expect(resync.supervisions).toEqual([
      {
        sessionId: session.sessionId,
        callId: call.callId,
        supervisor: { id: session.supervisorId, name: 'Grace Ng' },
        mode: 'coach',
        phase: 'started',
        reason: null,
        at: expect.any(Number),
      },
    ]);
    expect(client.getState()).toMatchObject({
      connection: 'connected',
      phone: { state: 'talking', call: { callId: call.callId } },
      supervisions: [{ sessionId: session.sessionId, mode: 'coach' }],
    });

    // The reconnected client is live: the end of the session reaches it.
    await ok(manager, 'supervise:stop', { sessionId: session.sessionId });
    expect(await notices.next((n) => n.phase === 'ended')).toMatchObject({ sessionId: session.sessionId, reason: 'stopped' });
    expect(client.getState().supervisions).toEqual([]);
  });

  it('a session that ended while the client was away is gone after the resync', async () => {
    const user = await newAgent('Rae Away', 'Sales');
    const client = await connectClient(user.username, slowRetry);
    await client.ready();
    await takeCall(client, user.id);
    const manager = (await connectAs(server.url, 'manager.sales')).socket;
    const notices = record(client, 'supervision');
    const { session } = await ok(manager, 'supervise:start', { agentId: user.id, mode: 'barge' });
    await notices.next();

    const resyncs = record(client, 'resync');
    const connection = record(client, 'connection');
    dropConnection(user.id);
    await connection.next((c) => c === 'reconnecting');
    await ok(manager, 'supervise:stop', { sessionId: session.sessionId });
    expect((await resyncs.next()).supervisions).toEqual([]);
    expect(client.getState()).toMatchObject({ connection: 'connected', supervisions: [], phone: { state: 'talking' } });
    expect(notices.seen.map((n) => n.phase)).toEqual(['started']);
  });

  it('a login that ends closes the client for good, with the reason', async () => {
    const user = await newAgent('Lou Logout', 'Billing');
    const { token } = await login({ url: server.url, username: user.username, password: DEMO_PASSWORD });
    const client = createAgentClient({ url: server.url, token });
    clients.push(client);
    await client.ready();
    const errors = record(client, 'error');
    await logout({ url: server.url, token });
    expect(await errors.next()).toMatchObject({ code: 'UNAUTHENTICATED', message: 'The server closed the connection: your login has ended; log in again' });
    expect(client.getState().connection).toBe('closed');
  });
});

describe('recording', () => {
  /** An agent profile without Pause User Recording: docs/permissions.md rule 8 allows any set that keeps rule 5. */
  let noPauseProfileId: number;
  beforeAll(async () => {
    const { profile } = await ok(admin, 'profiles:create', {
      name: 'No Pause Agent',
      scope: 'own',
      rights: ['calls.handle', 'phoneState.view', 'recording.initiate', 'live.notifications'],
    });
    noPauseProfileId = profile.id;
  });

  it('pause / resume round trip: the answers, the notices naming who, the call state', async () => {
    const user = await newAgent('Cara Card', 'Support');
    const client = await connectClient(user.username);
    await client.ready();
    const call = await takeCall(client, user.id);
    const notices = record(client, 'recording');

    expect(await client.startRecording()).toBe('on');
    expect(await client.pauseRecording()).toBe('paused');
    expect(client.getState().phone!.call!.recording).toBe('paused');
    expect(client.getState().recording).toMatchObject({ callId: call.callId, state: 'paused', by: { id: user.id, name: 'Cara Card' } });
    expect(await client.resumeRecording()).toBe('on');
    expect(client.getState().phone!.call!.recording).toBe('on');

    // A supervisor's pause reaches the agent too, naming the supervisor.
    const manager = (await connectAs(server.url, 'manager.support')).socket;
    await ok(manager, 'recording:pause', { callId: call.callId });
    await notices.next((n) => n.by?.name === 'Maya Baker');
    expect(notices.seen.map((n) => [n.state, n.by?.name])).toEqual([
      ['on', 'Cara Card'],
      ['paused', 'Cara Card'],
      ['on', 'Cara Card'],
      ['paused', 'Maya Baker'],
    ]);
    expect(client.getState().phone!.call!.recording).toBe('paused');

    // The server's refusal comes through as it was sent.
    await expect(client.pauseRecording()).rejects.toMatchObject({
      name: 'AgentClientError',
      code: 'CONFLICT',
      message: 'Cannot pause the recording: it is paused (pause is allowed when it is on)',
    });
  });

  it('a clear error when the agent lacks Pause User Recording, and the rights say so', async () => {
    const user = await newAgent('Nolan Nopause', 'Billing', noPauseProfileId);
    const client = await connectClient(user.username);
    const ready = await client.ready();
    expect(ready.rights).toMatchObject({ userId: user.id, profileName: 'No Pause Agent' });
    expect(ready.rights!.rights).not.toContain('recording.pause');
    await takeCall(client, user.id);
    expect(await client.startRecording()).toBe('on');

    const refusal = await client.pauseRecording().catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(AgentClientError);
    expect(refusal).toMatchObject({ code: 'FORBIDDEN', message: 'Your profile (No Pause Agent) does not hold Pause User Recording (recording.pause)' });
    expect(client.getState().phone!.call!.recording).toBe('on');
  });

  it('rights pushed after a profile change reach the client at once (rule 7)', async () => {
    const user = await newAgent('Ria Rights', 'Billing');
    const client = await connectClient(user.username);
    expect((await client.ready()).rights!.rights).toContain('recording.pause');
    const rights = record(client, 'rights');
    await ok(admin, 'users:update', { userId: user.id, profileId: noPauseProfileId });
    expect((await rights.next()).rights).not.toContain('recording.pause');
    expect(client.getState().rights!.profileName).toBe('No Pause Agent');
  });
});

describe('a profile change mid-session (rule 7)', () => {
  it('losing Live Monitoring Notifications takes the notice down at once: the client attaches again', async () => {
    const user = await newAgent('Liv Lose', 'Support');
    const client = await connectClient(user.username);
    await client.ready();
    await takeCall(client, user.id);
    const manager = (await connectAs(server.url, 'manager.support')).socket;
    const notices = record(client, 'supervision');
    await ok(manager, 'supervise:start', { agentId: user.id, mode: 'monitor' });
    await notices.next();

    const resyncs = record(client, 'resync');
    await ok(admin, 'users:update', { userId: user.id, profileId: profileId('privilegedUser') });
    expect(await resyncs.next()).toMatchObject({ notificationsEnabled: false, supervisions: [] });
    expect(client.getState()).toMatchObject({ connection: 'connected', notificationsEnabled: false, supervisions: [], phone: { state: 'talking' } });
  });

  it('losing Handle Calls closes the desktop agent with the reason', async () => {
    const user = await newAgent('Hugh Handle', 'Support');
    const client = await connectClient(user.username);
    await client.ready();
    const errors = record(client, 'error');
    await ok(admin, 'users:update', { userId: user.id, profileId: profileId('manager') });
    expect(await errors.next()).toMatchObject({ code: 'FORBIDDEN', message: 'Your profile (Manager) does not hold Handle Calls (calls.handle)' });
    expect(client.getState().connection).toBe('closed');
  });
});

describe('refusals and checks', () => {
  it('a user without Handle Calls cannot attach: ready() rejects with the reason and the client closes', async () => {
    const client = await connectClient('trainer');
    await expect(client.ready()).rejects.toMatchObject({ code: 'FORBIDDEN', message: 'Your profile (Trainer) does not hold Handle Calls (calls.handle)' });
    expect(client.getState().connection).toBe('closed');
  });

  it('closing before the first connection settles ready()', async () => {
    const client = createAgentClient({ url: server.url, token: 'closed-at-once' });
    client.close();
    await expect(client.ready()).rejects.toMatchObject({ code: 'DISCONNECTED', message: 'The client was closed' });
    expect(client.getState().connection).toBe('closed');
  });

  it('a bad token is refused at the handshake', async () => {
    const client = createAgentClient({ url: server.url, token: 'not-a-token' });
    clients.push(client);
    await expect(client.ready()).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(client.getState().connection).toBe('closed');
  });

  it('the login helper reports the server refusal as sent', async () => {
    const refusal = await login({ url: server.url, username: 'agent.billing', password: 'wrong-password' }).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(AgentClientError);
    expect(refusal).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('a call action without a call fails before anything is sent', async () => {
    const user = await newAgent('Nell Nocall', 'Sales');
    const client = await connectClient(user.username);
    await client.ready();
    await expect(client.answer()).rejects.toMatchObject({ code: 'NO_CALL', message: 'call:answer: you have no call' });
    await expect(client.setStatus('notReady', ' ')).rejects.toMatchObject({ code: 'INVALID' });
  });

  it('a push that fails the shared schema is dropped and reported; the state is untouched', async () => {
    const user = await newAgent('Ivy Invalid', 'Sales');
    const client = await connectClient(user.username);
    const before = await client.ready();
    const errors = record(client, 'error');
    server.io.to(`user:${user.id}`).emit('notice:supervision', { sessionId: 'sup-x', phase: 'started' } as never);
    const error = await errors.next();
    expect(error.code).toBe('PROTOCOL');
    expect(error.message).toMatch(/^Dropped a notice:supervision push: it does not match the shared schema/);
    expect(client.getState()).toBe(before);
  });
});

describe('help and audio', () => {
  it('a help request is acknowledged by a supervisor, and the agent is told who', async () => {
    const user = await newAgent('Hal Help', 'Billing');
    const client = await connectClient(user.username);
    await client.ready();
    const updates = record(client, 'help');
    const raised = await client.requestHelp('Customer asks for a refund over the limit');
    expect(raised).toMatchObject({ agent: { id: user.id, name: 'Hal Help' }, message: 'Customer asks for a refund over the limit', acknowledgedBy: null });

    const manager = (await connectAs(server.url, 'manager.billing')).socket;
    await ok(manager, 'help:ack', { helpId: raised.helpId });
    const acked = await updates.next((h) => h.acknowledgedBy !== null);
    expect(acked).toMatchObject({ helpId: raised.helpId, acknowledgedBy: { name: 'Ava Hill' } });
    expect(client.getState().help).toEqual(acked);

    const cancelled = await client.cancelHelp();
    expect(cancelled).toEqual({ ...acked, endedAt: cancelled.endedAt, endReason: 'cancelled' });
    expect(client.getState().help).toEqual(cancelled);
    await expect(client.cancelHelp()).rejects.toMatchObject({ code: 'NO_HELP_REQUEST', message: 'help:cancel: you have no open help request' });
    await expect(client.requestHelp('x'.repeat(201))).rejects.toMatchObject({
      code: 'INVALID',
      message: 'The message to your supervisor can be at most 200 characters.',
    });
  });

  it('the audio seam is told when the call connects and when it ends, and can get a media token for it', async () => {
    const user = await newAgent('Aud Io', 'Support');
    const told: string[] = [];
    let media: MediaAccess | null = null;
    const audio: CallAudio = {
      callConnected: (call, access) => {
        told.push(`connected ${call.callId}`);
        media = access;
      },
      callEnded: (callId) => told.push(`ended ${callId}`),
    };
    const client = await connectClient(user.username, { audio });
    await client.ready();
    const call = await takeCall(client, user.id);
    expect(media!.url).toBe(server.url);
    expect(await media!.mediaToken()).toMatchObject({ callId: call.callId, sessionId: null, sends: 'agent', token: expect.any(String) });
    await client.hold();
    await client.unhold();
    await client.hangUp();
    expect(told).toEqual([`connected ${call.callId}`, `ended ${call.callId}`]);
    // The call is gone: the server refuses a token for it.
    await expect(media!.mediaToken()).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
