import type { SupervisionEnded, SupervisionNotice } from '@earshot/shared';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startServer, testConfig, type EarshotServer } from '../../server/src/app.js';
import { AriRest } from '../../server/src/telephony/asterisk/ariRest.js';
import { Ear, liveAsteriskSettings, otherHalf } from '../support/asteriskEar.js';
import { collect, until, waitForPhone } from '../support/floor.js';
import { closeAllSockets, connectAs, ok, userId, type ClientSocket } from '../support/harness.js';
import { MediaClient, mediaUrl, tonesPerTrack } from '../support/mediaHarness.js';

/**
 * Opt-in, like asteriskLive.test.ts (same settings and the same `[earshot-live]` dialplan): the whole server
 * with TELEPHONY=asterisk against a real Asterisk. agent.billing's phone is `Local/agent@earshot-live`
 * (says 660 Hz), the caller `Local/customer@earshot-live` (says 440 Hz). The supervisor is a real socket.io
 * client with the media WebSocket, saying 880 Hz; what the agent and the customer hear is read on the dialplan
 * side of their Local channels.
 */
const settings = liveAsteriskSettings();
if (!settings.url) console.warn('asteriskLiveServer: skipped; set EARSHOT_ASTERISK_URL (and credentials) to run against a real Asterisk');

const AGENT_PHONE = 'Local/agent@earshot-live';

describe.skipIf(!settings.url)('the server on a live Asterisk (opt-in)', () => {
  const rest = new AriRest(settings);
  let server: EarshotServer;
  let admin: ClientSocket;
  let ears: Ear[] = [];

  beforeAll(async () => {
    server = await startServer(
      testConfig({
        demo: true,
        telephony: 'asterisk',
        asterisk: { ...settings, rtpPorts: { min: 0, max: 0 }, format: 'ulaw' },
      }),
    );
    admin = (await connectAs(server.url, 'admin')).socket;
    await ok(admin, 'users:update', { userId: await userId(server, 'agent.billing'), extension: AGENT_PHONE });
  });

  afterEach(async () => {
    for (const e of ears) await e.close(rest);
    ears = [];
    for (const c of await rest.listChannels()) if (c.id.startsWith('earshot-') || c.id.startsWith('lives-')) await rest.hangup(c.id).catch(() => {});
  });

  afterAll(async () => {
    closeAllSockets();
    await server?.close();
  });

  /** A caller handed to Earshot for agent.billing's phone; the agent's desktop shows it ringing, then talking. */
  async function callForAgent() {
    const { socket } = await connectAs(server.url, 'agent.billing');
    await ok(socket, 'agent:attach', {});
    await ok(socket, 'agent:status', { status: 'available' });
    const talking = waitForPhone(socket, (p) => p.state === 'talking', 10_000);
    const callId = `lives-${Date.now()}`;
    await rest.originate(callId, 'Local/customer@earshot-live', `${AGENT_PHONE},Billing`);
    const phone = await talking;
    expect(phone.call).toMatchObject({ callId, queue: 'Billing' });
    const agentChannel = `earshot-agent-${callId}`;
    const channels = await rest.listChannels();
    const agentEar = await Ear.on(rest, settings.rtpAddress, otherHalf(channels, agentChannel), `lives-ear-agent-${callId}`);
    const customerEar = await Ear.on(rest, settings.rtpAddress, otherHalf(channels, callId), `lives-ear-customer-${callId}`);
    ears.push(agentEar, customerEar);
    await until(() => agentEar.frames.length > 25 && customerEar.frames.length > 25, 5000, 'the ears hear');
    return { socket, callId, agentId: await userId(server, 'agent.billing'), ears: { agent: agentEar, customer: customerEar } };
  }

  type Call = Awaited<ReturnType<typeof callForAgent>>;

  /** The supervisor says 880 Hz for 1.5 s; the tones each party heard meanwhile. */
  async function supervisorSays(media: MediaClient, call: Call) {
    const from = { agent: call.ears.agent.frames.length, customer: call.ears.customer.frames.length };
    for (let i = 0; i < 75; i++) {
      media.sendTone(1);
      await new Promise((r) => setTimeout(r, 20));
    }
    return { agent: call.ears.agent.tonesSince(from.agent + 5), customer: call.ears.customer.tonesSince(from.customer + 5) };
  }

  it('coach, barge, monitor: the agent is told first; the supervisor hears both tracks apart; the coach reaches the agent only, a barge both', async () => {
    const call = await callForAgent();
    const notices = collect<SupervisionNotice>(call.socket, 'notice:supervision');
    const { socket: manager } = await connectAs(server.url, 'manager.billing');
    const { session } = await ok(manager, 'supervise:start', { agentId: call.agentId, mode: 'coach' });
    await until(() => notices.length === 1, 2000, 'the coach notice');
    expect(notices[0]).toMatchObject({ phase: 'started', mode: 'coach' });
    const media = await MediaClient.open(mediaUrl(server, await ok(manager, 'media:token', { sessionId: session.sessionId })), 'supervisor');
    expect(await tonesPerTrack(media, ['agent', 'customer'])).toEqual({ agent: ['agent'], customer: ['customer'] });
    expect(await supervisorSays(media, call)).toEqual({ agent: ['customer', 'supervisor'], customer: ['agent'] });

    await ok(manager, 'supervise:mode', { sessionId: session.sessionId, mode: 'barge' });
    await until(() => notices.length === 2, 2000, 'the barge notice');
    expect(notices[1]).toMatchObject({ phase: 'changed', mode: 'barge' });
    expect(await supervisorSays(media, call)).toEqual({ agent: ['customer', 'supervisor'], customer: ['agent', 'supervisor'] });

    await ok(manager, 'supervise:mode', { sessionId: session.sessionId, mode: 'monitor' });
    expect(await supervisorSays(media, call)).toEqual({ agent: ['customer'], customer: ['agent'] });

    const ends = collect<SupervisionEnded>(manager, 'supervise:ended');
    const wrapUp = waitForPhone(call.socket, (p) => p.state === 'wrapUp', 5000);
    await rest.hangup(call.callId);
    await wrapUp;
    await until(() => ends.length === 1, 3000, 'the session ended');
    expect(ends[0]).toMatchObject({ reason: 'call-ended', mode: 'monitor' });
    await until(() => notices.some((n) => n.phase === 'ended'), 2000, 'the agent told');
    media.close();
  });

  it("take over: the agent's channel leaves, the supervisor hears the customer and the customer hears the supervisor; stop ends the call", async () => {
    const call = await callForAgent();
    const { session } = await ok(admin, 'supervise:start', { agentId: call.agentId, mode: 'takeOver' });
    await until(() => server.floor.phoneOf(call.agentId).state === 'wrapUp', 5000, 'the agent left the call');
    const bridge = (await rest.listBridges()).find((b) => b.id === `earshot-call-${call.callId}`)!;
    expect(bridge.channels.sort()).toEqual([call.callId, `earshot-takeover-${call.callId}-em`].sort());
    const media = await MediaClient.open(mediaUrl(server, await ok(admin, 'media:token', { sessionId: session.sessionId })), 'supervisor');
    expect(await tonesPerTrack(media, ['customer'])).toEqual({ customer: ['customer'] });
    expect((await supervisorSays(media, call)).customer).toEqual(['supervisor']);
    await ok(admin, 'supervise:stop', { sessionId: session.sessionId });
    const gone = async () => !(await rest.listChannels()).some((c) => c.id === call.callId);
    const end = Date.now() + 5000;
    while (!(await gone()) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    expect(await gone()).toBe(true);
    media.close();
  });

  it("the desktop agent's hold silences the agent for the customer, unhold brings them back, hang up ends the call", async () => {
    const call = await callForAgent();
    const held = await ok(call.socket, 'call:hold', { callId: call.callId });
    expect(held.phone.state).toBe('held');
    await new Promise((r) => setTimeout(r, 300));
    let from = call.ears.customer.frames.length;
    await new Promise((r) => setTimeout(r, 1000));
    expect(call.ears.customer.tonesSince(from)).toEqual([]);
    const resumed = await ok(call.socket, 'call:unhold', { callId: call.callId });
    expect(resumed.phone.state).toBe('talking');
    await new Promise((r) => setTimeout(r, 300));
    from = call.ears.customer.frames.length;
    await new Promise((r) => setTimeout(r, 1000));
    expect(call.ears.customer.tonesSince(from)).toEqual(['agent']);
    const hungUp = await ok(call.socket, 'call:hangUp', { callId: call.callId });
    expect(hungUp.phone.state).toBe('wrapUp');
    const end = Date.now() + 5000;
    const gone = async () => !(await rest.listChannels()).some((c) => c.id === call.callId);
    while (!(await gone()) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    expect(await gone()).toBe(true);
  });
});
