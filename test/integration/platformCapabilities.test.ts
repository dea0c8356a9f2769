import type { PlatformCapabilities } from '@earshot/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgentClient, login, offersCallControl, type AgentClient } from '../../agent-client/src/sdk/index.js';
import { DEMO_PASSWORD } from '../../server/src/app.js';
import { call, closeAllSockets, connectAs, ok, startTestServer, userId, type ClientSocket, type TestServer } from '../support/harness.js';
import { ScriptedPlatform } from '../support/scriptedPlatform.js';

/**
 * docs/architecture.md "Telephony platforms": a platform "declares what it can do; the apps offer only that".
 * A platform without take over and without hold: what it carries reaches the supervisor's board and the
 * agent's plugin, and what it does not is refused with words that say so.
 */
const NO_TAKE_OVER_NO_HOLD: PlatformCapabilities = {
  name: 'scripted',
  modes: ['monitor', 'coach', 'barge'],
  recording: true,
  agentControls: ['answer', 'unhold', 'hangUp'],
};

let server: TestServer;
let platform: ScriptedPlatform;
let admin: ClientSocket;
let agent: AgentClient;
let agentId: number;

beforeAll(async () => {
  platform = new ScriptedPlatform(NO_TAKE_OVER_NO_HOLD);
  server = await startTestServer({}, undefined, { platform });
  admin = (await connectAs(server.url, 'admin')).socket;
  agentId = await userId(server, 'agent.billing');
  await ok(admin, 'users:update', { userId: agentId, extension: '1001' });
  const { token } = await login({ url: server.url, username: 'agent.billing', password: DEMO_PASSWORD });
  agent = createAgentClient({ url: server.url, token });
  await agent.ready();
});
afterAll(async () => {
  agent?.close();
  closeAllSockets();
  await server.close();
});

describe("the platform's capabilities reach both apps", () => {
  it('the board snapshot carries them, subscribed and pushed', async () => {
    const snapshot = await ok(admin, 'board:subscribe', {});
    expect(snapshot.platform).toEqual(NO_TAKE_OVER_NO_HOLD);
  });

  it("the agent's plugin has them from its attach: hold is not offered, unhold and hang up are", () => {
    const state = agent.getState();
    expect(state.platform).toEqual(NO_TAKE_OVER_NO_HOLD);
    expect((['answer', 'hold', 'unhold', 'hangUp'] as const).filter((c) => offersCallControl(state, c))).toEqual(['answer', 'unhold', 'hangUp']);
  });
});

describe('what the platform does not carry is refused, with the reason, and the platform is never asked', () => {
  it('take over, at start and as a mode change; hold from the plugin', async () => {
    await agent.setStatus('available');
    platform.host.agent({ type: 'offered', endpoint: '1001', call: { callId: 'pbx-1', queue: 'Billing', direction: 'inbound', remoteNumber: '+15550001234' } });
    platform.host.agent({ type: 'answered', endpoint: '1001', callId: 'pbx-1' });
    expect(server.floor.phoneOf(agentId)).toMatchObject({ state: 'talking', call: { callId: 'pbx-1' } });
    platform.take();

    const NOT_CARRIED = { ok: false, error: { code: 'INVALID', message: 'mode: the telephony platform (scripted) does not carry takeOver' } };
    expect(await call(admin, 'supervise:start', { agentId, mode: 'takeOver' })).toEqual(NOT_CARRIED);
    expect(platform.take()).toEqual([]);
    const { session } = await ok(admin, 'supervise:start', { agentId, mode: 'coach' });
    expect(await call(admin, 'supervise:mode', { sessionId: session.sessionId, mode: 'takeOver' })).toEqual(NOT_CARRIED);
    expect(server.floor.supervision.session(session.sessionId)!.mode).toBe('coach');
    expect(platform.take()).toEqual(['openSupervisorLeg pbx-1 1001 coach']);

    await expect(agent.hold()).rejects.toMatchObject({
      code: 'INVALID',
      message: 'The telephony platform (scripted) does not let the desktop agent hold a call',
    });
    expect(server.floor.phoneOf(agentId).state).toBe('talking');
    expect(platform.take()).toEqual([]);
    // What it carries goes through.
    expect((await agent.hangUp()).state).toBe('wrapUp');
    expect(platform.take()).toEqual(['agentControl pbx-1 1001 hangUp', 'closeSupervisorLeg']);
  });
});
