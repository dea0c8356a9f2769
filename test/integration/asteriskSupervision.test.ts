import type { AgentPhoneState, MediaFrame, SupervisionEnded, SupervisionNotice } from '@earshot/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type EarshotServer } from '../../server/src/app.js';
import { AriPeer, asteriskTestConfig, portless } from '../support/ariPeer.js';
import { breakAudit } from '../support/brokenAudit.js';
import { collect, onNoticeSent, until, waitForPhone } from '../support/floor.js';
import { TONES, toneFrame, tonesIn } from '../support/goertzel.js';
import { call, closeAllSockets, connectAs, ok, userId, type ClientSocket } from '../support/harness.js';
import { hearing, MediaClient, mediaUrl } from '../support/mediaHarness.js';

/**
 * Supervision, the agent's notice and live revocation through the Asterisk adapter: the real server with
 * TELEPHONY=asterisk against the scripted ARI peer, whose audio follows Asterisk's snoop table. The same
 * flows the simulator's tests cover, with each listener's tones checked: the supervisor hears both tracks
 * apart, the coach reaches the agent and never the customer, a barge reaches both.
 */
let peer: AriPeer;
let server: EarshotServer;
let admin: ClientSocket;

beforeEach(async () => {
  peer = await new AriPeer().start();
  server = await startServer(asteriskTestConfig(peer));
  // The demo floor gave agent.billing the phone PJSIP/1001: Asterisk's calls for it reach them as they are.
  admin = (await connectAs(server.url, 'admin')).socket;
});

afterEach(async () => {
  closeAllSockets();
  await server.close();
  await peer.stop();
});

/** agent.billing takes a call the dialplan hands to Earshot for PJSIP/1001; the caller says 440 Hz, the agent 660 Hz. */
async function agentOnAsteriskCall() {
  const { socket } = await connectAs(server.url, 'agent.billing');
  await ok(socket, 'agent:attach', {});
  await ok(socket, 'agent:status', { status: 'available' });
  const ringing = waitForPhone(socket, (p) => p.state === 'ringing', 5000);
  const callId = peer.placeCall({ endpoint: 'PJSIP/1001', queue: 'Billing', number: '+15550001234' });
  const phone = await ringing;
  expect(phone.call).toMatchObject({ callId, queue: 'Billing', direction: 'inbound' });
  expect(phone.call!.remoteNumberMasked).not.toContain('0001234');
  const agentChannel = `earshot-agent-${callId}`;
  await until(() => peer.channels.has(agentChannel), 5000, 'the agent dialled');
  const talking = waitForPhone(socket, (p) => p.state === 'talking', 5000);
  peer.answer(agentChannel);
  await talking;
  peer.speak(callId, (i) => toneFrame(TONES.customer, i));
  peer.speak(agentChannel, (i) => toneFrame(TONES.agent, i));
  return { socket, callId, agentChannel, agentId: await userId(server, 'agent.billing') };
}

/** The supervisor says 880 Hz for half a second; what the agent and the customer heard of it. */
async function supervisorSpeaks(media: MediaClient, callId: string, agentChannel: string) {
  peer.heard.clear();
  for (let i = 0; i < 25; i++) {
    media.sendTone(1);
    await new Promise((r) => setTimeout(r, 20));
  }
  await media.flush();
  await new Promise((r) => setTimeout(r, 200));
  const tones = (id: string) => [...new Set((peer.heard.get(id) ?? []).flatMap((f) => tonesIn(f)))];
  return { agent: tones(agentChannel), customer: tones(callId) };
}

const byTrack = (frames: MediaFrame[], track: string) => hearing(frames.filter((f) => f.track === track && !isSilent(f)));
const isSilent = (f: MediaFrame) => f.samples.every((s) => s === 0);

describe('supervision through the Asterisk adapter (scripted ARI peer)', () => {
  it("the demo floor's agents have their PBX phones: the team's digit and their number (docs/telephony/asterisk.md)", async () => {
    const { users } = await ok(admin, 'users:list', {});
    expect(Object.fromEntries(users.filter((u) => u.extension !== null).map((u) => [u.username, u.extension]))).toEqual({
      'agent.billing': 'PJSIP/1001',
      'sim.billing.2': 'PJSIP/1002',
      'sim.billing.3': 'PJSIP/1003',
      'sim.billing.4': 'PJSIP/1004',
      'sim.billing.5': 'PJSIP/1005',
      'sim.billing.6': 'PJSIP/1006',
      'agent.sales': 'PJSIP/2001',
      'sim.sales.2': 'PJSIP/2002',
      'sim.sales.3': 'PJSIP/2003',
      'sim.sales.4': 'PJSIP/2004',
      'sim.sales.5': 'PJSIP/2005',
      'sim.sales.6': 'PJSIP/2006',
      'agent.support': 'PJSIP/3001',
      'sim.support.2': 'PJSIP/3002',
      'sim.support.3': 'PJSIP/3003',
      'sim.support.4': 'PJSIP/3004',
      'sim.support.5': 'PJSIP/3005',
      'sim.support.6': 'PJSIP/3006',
      'privileged.support': 'PJSIP/3007',
    });
    expect(server.floor.directory.userAtEndpoint('PJSIP/2001')).toBe(await userId(server, 'agent.sales'));
  });

  it('coach: the agent is told, the supervisor hears both tracks apart, the agent hears the coach and the customer never does; barge: both do', async () => {
    const agent = await agentOnAsteriskCall();
    const notices = collect<SupervisionNotice>(agent.socket, 'notice:supervision');
    const { socket: manager } = await connectAs(server.url, 'manager.billing');
    const { session } = await ok(manager, 'supervise:start', { agentId: agent.agentId, mode: 'coach' });
    await until(() => notices.length === 1, 2000, 'the notice');
    expect(notices[0]).toMatchObject({ phase: 'started', mode: 'coach', supervisor: { name: expect.any(String) } });
    expect(peer.snoops().map((s) => s.snoop)).toEqual([
      { target: agent.agentChannel, spy: 'in', whisper: 'none' },
      { target: agent.agentChannel, spy: 'out', whisper: 'out' },
    ]);

    const media = await MediaClient.open(mediaUrl(server, await ok(manager, 'media:token', { sessionId: session.sessionId })), 'supervisor');
    const frames: MediaFrame[] = [];
    await until(
      () => {
        frames.push(...media.take());
        return byTrack(frames, 'customer').count >= 10 && byTrack(frames, 'agent').count >= 10;
      },
      8000,
      'both tracks at the supervisor',
    );
    expect(byTrack(frames, 'customer').tones).toEqual(['customer']);
    expect(byTrack(frames, 'agent').tones).toEqual(['agent']);

    expect(await supervisorSpeaks(media, agent.callId, agent.agentChannel)).toEqual({ agent: ['supervisor'], customer: [] });

    await ok(manager, 'supervise:mode', { sessionId: session.sessionId, mode: 'barge' });
    await until(() => notices.length === 2, 2000, 'the barge notice');
    expect(notices[1]).toMatchObject({ phase: 'changed', mode: 'barge' });
    expect(peer.snoops().find((s) => s.snoop!.spy === 'out')!.snoop!.whisper).toBe('both');
    expect(await supervisorSpeaks(media, agent.callId, agent.agentChannel)).toEqual({ agent: ['supervisor'], customer: ['supervisor'] });

    await ok(manager, 'supervise:mode', { sessionId: session.sessionId, mode: 'monitor' });
    expect(await supervisorSpeaks(media, agent.callId, agent.agentChannel)).toEqual({ agent: [], customer: [] });
  });

  it('with the audit log failing, a start answers INTERNAL and leaves no leg on Asterisk: the leg it opened is closed before the answer', async () => {
    const agent = await agentOnAsteriskCall();
    const notices = collect<SupervisionNotice>(agent.socket, 'notice:supervision');
    const { socket: manager } = await connectAs(server.url, 'manager.billing');
    const restore = breakAudit(server.store);
    peer.clearRequests();
    let ack: Awaited<ReturnType<typeof call<'supervise:start'>>>;
    try {
      ack = await call(manager, 'supervise:start', { agentId: agent.agentId, mode: 'coach' });
    } finally {
      restore();
    }
    expect(ack).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'The audit log could not be written, so nothing was done; try again later' } });
    const tap = (track: string) => `earshot-tap-${agent.callId}-${track}`;
    const opened = (track: string, whisper: string) => [
      `POST /bridges/${tap(track)}?type=mixing`,
      `POST /channels/externalMedia?app=earshot&channelId=${tap(track)}-em&direction=both&encapsulation=rtp&external_host=127.0.0.1:PORT&format=ulaw&transport=udp`,
      `POST /bridges/${tap(track)}/addChannel?channel=${tap(track)}-em`,
      `POST /channels/${agent.agentChannel}/snoop/${tap(track)}-snoop1?app=earshot&spy=${track === 'agent' ? 'in' : 'out'}&whisper=${whisper}`,
      `POST /bridges/${tap(track)}/addChannel?channel=${tap(track)}-snoop1`,
    ];
    const closed = (track: string) => [
      `DELETE /channels/${tap(track)}-snoop1?reason=normal`,
      `DELETE /channels/${tap(track)}-em?reason=normal`,
      `DELETE /bridges/${tap(track)}`,
    ];
    expect(portless(peer.requests)).toEqual([...opened('agent', 'none'), ...opened('customer', 'out'), ...closed('agent'), ...closed('customer')]);
    expect([peer.externalMediaChannels(), peer.snoops(), [...peer.bridges.keys()]]).toEqual([[], [], [`earshot-call-${agent.callId}`]]);
    expect(server.floor.supervision.sessionsOf(await userId(server, 'manager.billing'))).toEqual([]);
    expect((await ok(manager, 'supervise:mine', {})).sessions).toEqual([]);
    expect(notices).toEqual([]);
  });

  it('coach→barge: the agent is sent the barge notice before Asterisk is asked for the new whisper; barge→coach: Asterisk first', async () => {
    const agent = await agentOnAsteriskCall();
    const order: string[] = [];
    onNoticeSent(server, (n) => order.push(`notice ${n.phase} ${n.mode}`));
    const { socket: manager } = await connectAs(server.url, 'manager.billing');
    const { session } = await ok(manager, 'supervise:start', { agentId: agent.agentId, mode: 'coach' });
    await until(() => order.length === 1, 2000, 'the start notice');
    const customerTap = `earshot-tap-${agent.callId}-customer`;
    peer.onRequest = (r) => order.push(`asterisk ${r}`);

    await ok(manager, 'supervise:mode', { sessionId: session.sessionId, mode: 'barge' });
    await ok(manager, 'supervise:mode', { sessionId: session.sessionId, mode: 'coach' });
    await until(() => order.length === 9, 2000, 'both changes');
    expect(order).toEqual([
      'notice started coach',
      // Upgrade: the customer will hear the supervisor, so the agent is told first.
      'notice changed barge',
      `asterisk DELETE /channels/${customerTap}-snoop1?reason=normal`,
      `asterisk POST /channels/${agent.agentChannel}/snoop/${customerTap}-snoop2?app=earshot&spy=out&whisper=both`,
      `asterisk POST /bridges/${customerTap}/addChannel?channel=${customerTap}-snoop2`,
      // Downgrade: the customer stops hearing the supervisor before the agent is told.
      `asterisk DELETE /channels/${customerTap}-snoop2?reason=normal`,
      `asterisk POST /channels/${agent.agentChannel}/snoop/${customerTap}-snoop3?app=earshot&spy=out&whisper=out`,
      `asterisk POST /bridges/${customerTap}/addChannel?channel=${customerTap}-snoop3`,
      'notice changed coach',
    ]);
  });

  it('monitor→take over: the agent is sent the notice before Asterisk moves the call, and leaves it only once Asterisk has', async () => {
    const agent = await agentOnAsteriskCall();
    const order: string[] = [];
    onNoticeSent(server, (n) => order.push(`notice ${n.phase} ${n.mode}`));
    const { session } = await ok(admin, 'supervise:start', { agentId: agent.agentId, mode: 'monitor' });
    peer.onRequest = (r) => order.push(`asterisk ${r.split('?')[0]}`);
    server.floor.events.on('callTakenOver', () => order.push('agent left the call'));
    await ok(admin, 'supervise:mode', { sessionId: session.sessionId, mode: 'takeOver' });
    const takeOverLeg = `earshot-takeover-${agent.callId}-em`;
    const tap = (track: string) => `earshot-tap-${agent.callId}-${track}`;
    expect(order).toEqual([
      'notice started monitor',
      'notice changed takeOver',
      'asterisk POST /channels/externalMedia',
      `asterisk POST /bridges/earshot-call-${agent.callId}/addChannel`,
      `asterisk POST /bridges/earshot-call-${agent.callId}/removeChannel`,
      `asterisk DELETE /channels/${agent.agentChannel}`,
      `asterisk DELETE /channels/${tap('agent')}-snoop1`,
      `asterisk DELETE /channels/${tap('agent')}-em`,
      `asterisk DELETE /bridges/${tap('agent')}`,
      `asterisk DELETE /channels/${tap('customer')}-snoop1`,
      `asterisk DELETE /channels/${tap('customer')}-em`,
      `asterisk DELETE /bridges/${tap('customer')}`,
      'agent left the call',
    ]);
    expect(peer.bridges.get(`earshot-call-${agent.callId}`)!.channels).toEqual([agent.callId, takeOverLeg]);
    expect(server.floor.phoneOf(agent.agentId).state).toBe('wrapUp');
  });

  it("start as take over: the leg opens as a monitor's, the agent is sent the notice before Asterisk moves the call, and leaves it only once Asterisk has", async () => {
    const agent = await agentOnAsteriskCall();
    // The answered agent is in the call's bridge before anything else is asked of Asterisk.
    await until(() => !!peer.bridges.get(`earshot-call-${agent.callId}`)?.channels.includes(agent.agentChannel), 2000, 'the agent bridged');
    const order: string[] = [];
    onNoticeSent(server, (n) => order.push(`notice ${n.phase} ${n.mode}`));
    peer.onRequest = (r) => order.push(`asterisk ${r.split('?')[0]}`);
    server.floor.events.on('callTakenOver', () => order.push('agent left the call'));
    await ok(admin, 'supervise:start', { agentId: agent.agentId, mode: 'takeOver' });
    const takeOverLeg = `earshot-takeover-${agent.callId}-em`;
    const tap = (track: string) => `earshot-tap-${agent.callId}-${track}`;
    const opened = (track: string) => [
      `asterisk POST /bridges/${tap(track)}`,
      'asterisk POST /channels/externalMedia',
      `asterisk POST /bridges/${tap(track)}/addChannel`,
      `asterisk POST /channels/${agent.agentChannel}/snoop/${tap(track)}-snoop1`,
      `asterisk POST /bridges/${tap(track)}/addChannel`,
    ];
    const closed = (track: string) => [
      `asterisk DELETE /channels/${tap(track)}-snoop1`,
      `asterisk DELETE /channels/${tap(track)}-em`,
      `asterisk DELETE /bridges/${tap(track)}`,
    ];
    expect(order).toEqual([
      // A monitor's leg: nobody hears the supervisor, the agent stays on the call.
      ...opened('agent'),
      ...opened('customer'),
      'notice started takeOver',
      'asterisk POST /channels/externalMedia',
      `asterisk POST /bridges/earshot-call-${agent.callId}/addChannel`,
      `asterisk POST /bridges/earshot-call-${agent.callId}/removeChannel`,
      `asterisk DELETE /channels/${agent.agentChannel}`,
      ...closed('agent'),
      ...closed('customer'),
      'agent left the call',
    ]);
    expect(peer.bridges.get(`earshot-call-${agent.callId}`)!.channels).toEqual([agent.callId, takeOverLeg]);
    expect(server.floor.phoneOf(agent.agentId).state).toBe('wrapUp');
  });

  it('with the audit log failing, a take-over start answers INTERNAL: the agent never left the call and no leg is left on Asterisk', async () => {
    const agent = await agentOnAsteriskCall();
    const notices = collect<SupervisionNotice>(agent.socket, 'notice:supervision');
    const restore = breakAudit(server.store);
    let ack: Awaited<ReturnType<typeof call<'supervise:start'>>>;
    try {
      ack = await call(admin, 'supervise:start', { agentId: agent.agentId, mode: 'takeOver' });
    } finally {
      restore();
    }
    expect(ack).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'The audit log could not be written, so nothing was done; try again later' } });
    expect(server.floor.phoneOf(agent.agentId)).toMatchObject({ state: 'talking', call: { callId: agent.callId, supervisions: [] } });
    expect(server.floor.takenOverCall(agent.callId)).toBeUndefined();
    expect(peer.bridges.get(`earshot-call-${agent.callId}`)!.channels).toEqual([agent.callId, agent.agentChannel]);
    expect([peer.externalMediaChannels(), peer.snoops(), [...peer.bridges.keys()]]).toEqual([[], [], [`earshot-call-${agent.callId}`]]);
    expect(portless(peer.requests).filter((r) => r.includes('removeChannel') || r.startsWith(`DELETE /channels/${agent.agentChannel}`))).toEqual([]);
    await ok(agent.socket, 'agent:attach', {});
    expect(notices).toEqual([]);
  });

  it('a take-over start Asterisk refuses after the notice: the session ends platform-refused, its legs leave Asterisk, the agent stays on the call', async () => {
    const agent = await agentOnAsteriskCall();
    const notices = collect<SupervisionNotice>(agent.socket, 'notice:supervision');
    const ends = collect<SupervisionEnded>(admin, 'supervise:ended');
    peer.refuse = (r) => (r.includes(`channelId=earshot-takeover-${agent.callId}-em`) ? 500 : undefined);
    expect(await call(admin, 'supervise:start', { agentId: agent.agentId, mode: 'takeOver' })).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'The telephony platform (asterisk) could not take the call over; the session ended and the agent stays on the call' },
    });
    await until(() => notices.length === 2 && ends.length === 1, 2000, 'the end notices');
    expect(notices.map((n) => `${n.phase} ${n.mode} ${n.reason}`)).toEqual(['started takeOver null', 'ended takeOver platform-refused']);
    expect(ends.map((e) => `${e.mode} ${e.reason}`)).toEqual(['takeOver platform-refused']);
    expect(server.floor.phoneOf(agent.agentId)).toMatchObject({ state: 'talking', call: { callId: agent.callId, supervisions: [] } });
    // A leg closes in steps (its External Media channel, its snoop, its bridge): wait for the last one.
    await until(() => peer.externalMediaChannels().length === 0 && peer.snoops().length === 0 && peer.bridges.size === 1, 2000, 'the legs to close');
    expect([peer.snoops(), [...peer.bridges.keys()]]).toEqual([[], [`earshot-call-${agent.callId}`]]);
    expect(peer.bridges.get(`earshot-call-${agent.callId}`)!.channels).toEqual([agent.callId, agent.agentChannel]);
    expect([...server.store.audit.scan()].filter((r) => r.action === 'supervise:ended').map((r) => r.detail.reason)).toEqual(['platform-refused']);
  });

  it('coach→barge refused by Asterisk: the session is coaching again, the agent is told so, the coach whisper is back, the answer says why', async () => {
    const agent = await agentOnAsteriskCall();
    const notices = collect<SupervisionNotice>(agent.socket, 'notice:supervision');
    const { socket: manager } = await connectAs(server.url, 'manager.billing');
    const { session } = await ok(manager, 'supervise:start', { agentId: agent.agentId, mode: 'coach' });
    const media = await MediaClient.open(mediaUrl(server, await ok(manager, 'media:token', { sessionId: session.sessionId })), 'supervisor');
    peer.refuse = (r) => (r.includes('whisper=both') ? 500 : undefined);
    const records = () => [...server.store.audit.scan()].filter((r) => r.action === 'supervise:mode').map((r) => `${r.outcome} ${r.code ?? ''}`.trim());

    expect(await call(manager, 'supervise:mode', { sessionId: session.sessionId, mode: 'barge' })).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: "The telephony platform (asterisk) could not change the supervisor's leg to barge; nothing was changed" },
    });
    await until(() => notices.length === 3, 2000, 'the corrected notice');
    expect(notices.map((n) => `${n.phase} ${n.mode}`)).toEqual(['started coach', 'changed barge', 'changed coach']);
    expect(server.floor.supervision.session(session.sessionId)!.mode).toBe('coach');
    expect((await ok(manager, 'supervise:mine', {})).sessions.map((s) => s.mode)).toEqual(['coach']);
    // The change was recorded, and so was its failure.
    expect(records()).toEqual(['ok', 'error INTERNAL']);
    expect(peer.snoops().map((s) => s.snoop)).toEqual([
      { target: agent.agentChannel, spy: 'in', whisper: 'none' },
      { target: agent.agentChannel, spy: 'out', whisper: 'out' },
    ]);
    expect(await supervisorSpeaks(media, agent.callId, agent.agentChannel)).toEqual({ agent: ['supervisor'], customer: [] });
  });

  it('live revocation: Barge removed from the profile ends the barge rights-revoked, and its legs leave Asterisk', async () => {
    const agent = await agentOnAsteriskCall();
    const notices = collect<SupervisionNotice>(agent.socket, 'notice:supervision');
    const { socket: manager } = await connectAs(server.url, 'manager.billing');
    const ends = collect<SupervisionEnded>(manager, 'supervise:ended');
    await ok(manager, 'supervise:start', { agentId: agent.agentId, mode: 'barge' });
    expect(peer.externalMediaChannels()).toHaveLength(2);
    const managerProfile = (await ok(admin, 'profiles:list', {})).profiles.find((p) => p.key === 'manager')!;
    await ok(admin, 'profiles:update', { profileId: managerProfile.id, rights: managerProfile.rights.filter((r) => r !== 'live.barge') });
    await until(() => ends.length === 1, 1000, 'the revocation');
    expect(ends[0]).toMatchObject({ reason: 'rights-revoked', mode: 'barge' });
    await until(() => notices.some((n) => n.phase === 'ended'), 1000, 'the agent told');
    await until(() => peer.externalMediaChannels().length === 0 && peer.snoops().length === 0 && peer.bridges.size === 1, 3000, 'the legs hung up');
    expect([...peer.bridges.keys()]).toEqual([`earshot-call-${agent.callId}`]);
  });

  it('live revocation by scope: the agent moved out of the supervisor team ends the coaching out-of-scope, and its legs leave Asterisk', async () => {
    const agent = await agentOnAsteriskCall();
    const notices = collect<SupervisionNotice>(agent.socket, 'notice:supervision');
    const { socket: manager } = await connectAs(server.url, 'manager.billing');
    const ends = collect<SupervisionEnded>(manager, 'supervise:ended');
    await ok(manager, 'supervise:start', { agentId: agent.agentId, mode: 'coach' });
    expect(peer.snoops()).toHaveLength(2);
    const support = (await ok(admin, 'teams:list', {})).teams.find((team) => team.name === 'Support')!;
    await ok(admin, 'users:update', { userId: agent.agentId, memberOf: [support.id] });
    await until(() => ends.length === 1, 1000, 'the revocation');
    expect(ends[0]).toMatchObject({ reason: 'out-of-scope', mode: 'coach' });
    await until(() => notices.some((n) => n.phase === 'ended'), 1000, 'the agent told');
    await until(() => peer.externalMediaChannels().length === 0 && peer.snoops().length === 0 && peer.bridges.size === 1, 3000, 'the legs hung up');
    // The call itself goes on: the customer and the agent are still bridged.
    expect(peer.bridges.get(`earshot-call-${agent.callId}`)!.channels).toEqual([agent.callId, agent.agentChannel]);
  });

  it('the caller hangs up: the sessions end call-ended and the agent wraps up; the phone holds and resumes', async () => {
    const agent = await agentOnAsteriskCall();
    const held = waitForPhone(agent.socket, (p) => p.state === 'held', 3000);
    peer.phoneHold(agent.agentChannel, true);
    await held;
    const resumed = waitForPhone(agent.socket, (p) => p.state === 'talking', 3000);
    peer.phoneHold(agent.agentChannel, false);
    await resumed;
    const { socket: manager } = await connectAs(server.url, 'manager.billing');
    const ends = collect<SupervisionEnded>(manager, 'supervise:ended');
    await ok(manager, 'supervise:start', { agentId: agent.agentId, mode: 'monitor' });
    const wrapUp = waitForPhone(agent.socket, (p: AgentPhoneState) => p.state === 'wrapUp', 3000);
    peer.hangup(agent.callId);
    await wrapUp;
    await until(() => ends.length === 1, 2000, 'the end');
    expect(ends[0]).toMatchObject({ reason: 'call-ended', mode: 'monitor' });
    await until(() => peer.channels.size === 0, 3000, 'every channel gone');
  });

  it('take over: the supervisor stays with the customer, the agent leaves; the customer hears the supervisor; stop ends the call', async () => {
    const agent = await agentOnAsteriskCall();
    // The Administrator holds Take Over (the Manager profile does not).
    const manager = admin;
    const { session } = await ok(manager, 'supervise:start', { agentId: agent.agentId, mode: 'takeOver' });
    await until(() => !peer.channels.has(agent.agentChannel), 3000, 'the agent left');
    expect(peer.bridges.get(`earshot-call-${agent.callId}`)!.channels).toEqual([agent.callId, `earshot-takeover-${agent.callId}-em`]);
    expect(server.floor.phoneOf(agent.agentId).state).toBe('wrapUp');
    const media = await MediaClient.open(mediaUrl(server, await ok(manager, 'media:token', { sessionId: session.sessionId })), 'supervisor');
    // The take-over leg joins the call's bridge a moment before the agent leaves it, as on Asterisk: what it
    // carried then (the agent too) may still be in the jitter buffer. What follows is the customer alone.
    await new Promise((r) => setTimeout(r, 300));
    media.take();
    const frames: MediaFrame[] = [];
    await until(
      () => {
        frames.push(...media.take());
        return byTrack(frames, 'customer').count >= 10;
      },
      8000,
      'the customer at the supervisor',
    );
    expect(byTrack(frames, 'customer').tones).toEqual(['customer']);
    const heard = await supervisorSpeaks(media, agent.callId, agent.agentChannel);
    expect(heard.customer).toEqual(['supervisor']);
    await ok(manager, 'supervise:stop', { sessionId: session.sessionId });
    await until(() => peer.channels.size === 0, 3000, 'the call hung up');
  });
});
