import type { AgentPhoneState, SupervisionEnded, SupervisionNotice } from '@earshot/shared';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startServer, testConfig } from '../../server/src/app.js';
import type { FloorEventMap } from '../../server/src/live/floorEvents.js';
import { collect, onNoticeSent } from '../support/floor.js';
import { call, closeAllSockets, connectAs, nextEvent, ok, TestClock, userId, type ClientSocket, type TestServer } from '../support/harness.js';
import { ScriptedPlatform } from '../support/scriptedPlatform.js';

// The telephony boundary with a scripted platform in place of the simulator: events by endpoint, commands
// out, and what an action does when a command fails (it fails, and nothing of it remains).

let server: TestServer;
let platform: ScriptedPlatform;
let admin: ClientSocket;
let agent: ClientSocket;
let manager: ClientSocket;
let agentId: number;
let nextCall = 0;
const notices: SupervisionNotice[] = [];

beforeAll(async () => {
  const clock = new TestClock();
  platform = new ScriptedPlatform();
  server = Object.assign(await startServer(testConfig({ demo: true }), { now: clock.now, platform }), { clock });
  admin = (await connectAs(server.url, 'admin')).socket;
  agentId = await userId(server, 'agent.billing');
  // The PBX knows Ava's phone as 1001.
  await ok(admin, 'users:update', { userId: agentId, extension: '1001' });
  agent = (await connectAs(server.url, 'agent.billing')).socket;
  agent.on('notice:supervision', (n) => notices.push(n));
  await ok(agent, 'agent:attach', {});
  await ok(agent, 'agent:status', { status: 'available' });
  manager = (await connectAs(server.url, 'manager.billing')).socket;
});
afterAll(async () => {
  closeAllSockets();
  await server.close();
});
beforeEach(() => {
  platform.take();
  notices.length = 0;
});

/** A call the PBX offers on 1001 and the phone answers: answers the call's id. */
async function callAnswered(): Promise<string> {
  const callId = `pbx-${++nextCall}`;
  const phone = server.floor.phoneOf(agentId);
  if (phone.state === 'wrapUp') await ok(agent, 'agent:status', { status: 'available' });
  platform.host.agent({ type: 'offered', endpoint: '1001', call: { callId, queue: 'Billing', direction: 'inbound', remoteNumber: '+15550001234' } });
  platform.host.agent({ type: 'answered', endpoint: '1001', callId });
  expect(server.floor.phoneOf(agentId)).toMatchObject({ state: 'talking', call: { callId } });
  return callId;
}

/** A round trip to the agent: every notice the server sent before has arrived. */
const settle = async () => void (await ok(agent, 'agent:attach', {}));

describe('events in: by the endpoint the user is known by', () => {
  it('offered, answered, held, resumed, ended reach the phone of the user whose extension it is; an echo and an unknown endpoint change nothing', async () => {
    const ringing = nextEvent<{ phone: AgentPhoneState }>(agent, 'agent:phone');
    platform.host.agent({ type: 'offered', endpoint: '1001', call: { callId: 'pbx-a', queue: 'Billing', direction: 'inbound', remoteNumber: '+15550001234' } });
    expect((await ringing).phone).toMatchObject({ state: 'ringing', call: { callId: 'pbx-a', remoteNumberMasked: expect.not.stringContaining('555000') } });
    platform.host.agent({ type: 'answered', endpoint: '1001', callId: 'pbx-a' });
    platform.host.agent({ type: 'answered', endpoint: '1001', callId: 'pbx-a' });
    platform.host.agent({ type: 'held', endpoint: '1001', callId: 'pbx-a' });
    expect(server.floor.phoneOf(agentId).state).toBe('held');
    // The same user's username no longer names them once they have an extension; nobody is 9999.
    platform.host.agent({ type: 'resumed', endpoint: 'agent.billing', callId: 'pbx-a' });
    platform.host.agent({ type: 'ended', endpoint: '9999', callId: 'pbx-a' });
    expect(server.floor.phoneOf(agentId).state).toBe('held');
    platform.host.agent({ type: 'resumed', endpoint: '1001', callId: 'pbx-a' });
    platform.host.agent({ type: 'ended', endpoint: '1001', callId: 'pbx-a' });
    expect(server.floor.phoneOf(agentId)).toMatchObject({ state: 'wrapUp', call: null });
    await ok(agent, 'agent:status', { status: 'available' });
  });

  it("queue events become the floor's queues and a typed queueChanged event", async () => {
    const seen: FloorEventMap['queueChanged'][] = [];
    const off = server.floor.events.on('queueChanged', (e) => seen.push(e));
    platform.host.queue({ type: 'waiting', queue: 'Billing', callId: 'q1', since: 1000 });
    platform.host.queue({ type: 'waiting', queue: 'Billing', callId: 'q2', since: 2000 });
    platform.host.queue({ type: 'answered', queue: 'Billing', callId: 'q1', at: 3000 });
    platform.host.queue({ type: 'waiting', queue: 'Callbacks', callId: 'q3', since: 2500 });
    off();
    expect(seen.map((e) => `${e.event.type} ${e.event.callId}`)).toEqual(['waiting q1', 'waiting q2', 'answered q1', 'waiting q3']);
    // A queue first named by the platform joins the floor's queues.
    expect(server.floor.queues.names()).toContain('Callbacks');
  });
});

describe('supervision commands, and a command that fails', () => {
  it('start opens a leg on the agent endpoint; mode changes and stop follow; a failed open fails the start with nothing of it left', async () => {
    const callId = await callAnswered();
    platform.failNext = 'openSupervisorLeg';
    const refused = await call(manager, 'supervise:start', { agentId, mode: 'monitor' });
    expect(refused).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: "The telephony platform (scripted) could not open the supervisor's leg; nothing was changed" },
    });
    expect(server.floor.supervision.sessionsOf(await userId(server, 'manager.billing'))).toEqual([]);
    expect(server.floor.phoneOf(agentId).call!.supervisions).toEqual([]);
    // The slot was let go: the same start now succeeds.
    const { session } = await ok(manager, 'supervise:start', { agentId, mode: 'monitor' });
    platform.failNext = 'changeLegMode';
    expect(await call(manager, 'supervise:mode', { sessionId: session.sessionId, mode: 'coach' })).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(server.floor.supervision.session(session.sessionId)!.mode).toBe('monitor');
    await ok(manager, 'supervise:mode', { sessionId: session.sessionId, mode: 'coach' });
    await ok(manager, 'supervise:stop', { sessionId: session.sessionId });
    await settle();
    expect(platform.take()).toEqual([
      `openSupervisorLeg ${callId} 1001 monitor`,
      `openSupervisorLeg ${callId} 1001 monitor`,
      'changeLegMode coach',
      'changeLegMode coach',
      'closeSupervisorLeg',
    ]);
    // No start that failed reached the agent. An upgrade is told before the platform carries it (Notices, must),
    // so the one the platform refused was told, and then its undoing: monitor again.
    expect(notices.map((n) => `${n.phase} ${n.mode}`)).toEqual(['started monitor', 'changed coach', 'changed monitor', 'changed coach', 'ended coach']);
    platform.host.agent({ type: 'ended', endpoint: '1001', callId });
  });

  it("a take-over start: the leg opens as a monitor's, the agent is sent the notice before the platform takes the call, and leaves it only once it has; stopped, the call ends", async () => {
    const callId = await callAnswered();
    let tracing = true;
    onNoticeSent(server, (n) => void (tracing && platform.commands.push(`notice ${n.phase} ${n.mode}`)));
    const off = server.floor.events.on('callTakenOver', () => platform.commands.push('agent left the call'));
    try {
      const { session } = await ok(admin, 'supervise:start', { agentId, mode: 'takeOver' });
      expect(platform.take()).toEqual([`openSupervisorLeg ${callId} 1001 monitor`, 'notice started takeOver', 'takeOver', 'agent left the call']);
      expect(server.floor.phoneOf(agentId)).toMatchObject({ state: 'wrapUp', call: null });
      expect(server.floor.takenOverCall(callId)).toMatchObject({ sessionId: session.sessionId, agentId });
      await ok(admin, 'supervise:stop', { sessionId: session.sessionId });
      await new Promise((r) => setImmediate(r));
      expect(platform.take()).toEqual(['notice ended takeOver', 'closeSupervisorLeg', `endCall ${callId}`]);
    } finally {
      tracing = false;
      off();
    }
  });

  it('a take-over start the platform refuses after the notice: the session ends platform-refused (both told, the end audited, the leg closed), the answer says why, the agent stays on the call', async () => {
    const callId = await callAnswered();
    const ends = collect<SupervisionEnded>(admin, 'supervise:ended');
    platform.failNext = 'takeOver';
    expect(await call(admin, 'supervise:start', { agentId, mode: 'takeOver' })).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'The telephony platform (scripted) could not take the call over; the session ended and the agent stays on the call' },
    });
    expect(server.floor.phoneOf(agentId)).toMatchObject({ state: 'talking', call: { callId, supervisions: [] } });
    expect(server.floor.takenOverCall(callId)).toBeUndefined();
    expect((await ok(admin, 'supervise:mine', {})).sessions).toEqual([]);
    await settle();
    expect(notices.map((n) => [n.phase, n.mode, n.reason])).toEqual([
      ['started', 'takeOver', null],
      ['ended', 'takeOver', 'platform-refused'],
    ]);
    const sessionId = notices[0]!.sessionId;
    expect(ends).toEqual([{ sessionId, callId, agentId, mode: 'takeOver', reason: 'platform-refused', at: expect.any(Number) }]);
    const records = [...server.store.audit.scan()].filter((r) => r.detail.sessionId === sessionId);
    expect(records.map((r) => [r.action, r.outcome, r.code ?? null, r.detail.reason ?? null])).toEqual([
      ['supervise:start', 'ok', null, null],
      ['supervise:ended', 'ok', null, 'platform-refused'],
      ['supervise:start', 'error', 'INTERNAL', null],
    ]);
    await new Promise((r) => setImmediate(r));
    // The call goes on with the agent: the platform is not asked to end it.
    expect(platform.take()).toEqual([`openSupervisorLeg ${callId} 1001 monitor`, 'takeOver', 'closeSupervisorLeg']);
    platform.host.agent({ type: 'ended', endpoint: '1001', callId });
  });

  it('a mode the platform does not carry is refused before anything happens', async () => {
    const callId = await callAnswered();
    const full = platform.capabilities;
    platform.capabilities = { ...full, modes: ['monitor'] };
    try {
      expect(await call(manager, 'supervise:start', { agentId, mode: 'barge' })).toEqual({
        ok: false,
        error: { code: 'INVALID', message: 'mode: the telephony platform (scripted) does not carry barge' },
      });
      expect(platform.take()).toEqual([]);
    } finally {
      platform.capabilities = full;
    }
    platform.host.agent({ type: 'ended', endpoint: '1001', callId });
  });
});

describe("the desktop agent's controls go through the platform", () => {
  it('hold is carried out by the platform first; when it fails the phone stays as it was; a control it does not carry is refused', async () => {
    const callId = await callAnswered();
    platform.failNext = 'agentControl';
    expect(await call(agent, 'call:hold', { callId })).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL', message: expect.stringContaining('could not hold the call') },
    });
    expect(server.floor.phoneOf(agentId).state).toBe('talking');
    expect((await ok(agent, 'call:hold', { callId })).phone.state).toBe('held');
    // The PBX reports the hold the phone went into: already there, nothing changes.
    platform.host.agent({ type: 'held', endpoint: '1001', callId });
    expect(server.floor.phoneOf(agentId).state).toBe('held');
    // A wrong control is refused by the phone's own rules before the platform is asked.
    expect(await call(agent, 'call:hold', { callId })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    const full = platform.capabilities;
    platform.capabilities = { ...full, agentControls: ['hold', 'unhold'] };
    try {
      expect(await call(agent, 'call:hangUp', { callId })).toEqual({
        ok: false,
        error: { code: 'INVALID', message: 'The telephony platform (scripted) does not let the desktop agent hangUp a call' },
      });
    } finally {
      platform.capabilities = full;
    }
    expect(platform.take()).toEqual([`agentControl ${callId} 1001 hold`, `agentControl ${callId} 1001 hold`]);
    await ok(agent, 'call:unhold', { callId });
    await ok(agent, 'call:hangUp', { callId });
    expect(server.floor.phoneOf(agentId).state).toBe('wrapUp');
  });
});
