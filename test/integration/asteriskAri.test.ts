import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AsteriskPlatform } from '../../server/src/telephony/asterisk/asteriskPlatform.js';
import { parseAriEvent } from '../../server/src/telephony/asterisk/ariModel.js';
import { AriPeer, peerSettings, portless } from '../support/ariPeer.js';
import { capturedLog, quietLog } from '../support/capturedLog.js';
import { RecordingHost } from '../support/recordingHost.js';
import { TONES, toneFrame, tonesIn } from '../support/goertzel.js';

const until = async (what: string, check: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

/**
 * What every connection asks. Not `subscribeAll`: that subscribes to device states too, and on Asterisk 22.10.1 an
 * events WebSocket so subscribed that closed while a PJSIP phone's device state changed hung ARI's application
 * registry for good (the unsubscription from device states waits on a delivery that waits on the closing socket).
 */
const CONNECT = ['WS /events?app=earshot', 'POST /applications/earshot/subscription?eventSource=channel:,bridge:,endpoint:', 'GET /channels', 'GET /bridges'];

let peer: AriPeer;
let host: RecordingHost;
let platform: AsteriskPlatform;

beforeEach(async () => {
  peer = await new AriPeer().start();
  host = new RecordingHost();
  platform = new AsteriskPlatform(peerSettings(peer, { backoff: { initialMs: 50, maxMs: 400 } }), quietLog);
  await platform.start(host);
});

afterEach(async () => {
  await platform.stop();
  await peer.stop();
});

/** A caller handed to Earshot for PJSIP/1001, answered by the agent; tones on both sides. */
async function answeredCall(callId = '1764000000.7') {
  peer.placeCall({ endpoint: 'PJSIP/1001', queue: 'Billing', number: '+15550001111', id: callId });
  const agentChannel = `earshot-agent-${callId}`;
  await until('the agent dialled', () => peer.channels.has(agentChannel));
  peer.answer(agentChannel);
  await until('the agent bridged', () => peer.bridges.get(`earshot-call-${callId}`)?.channels.includes(agentChannel) ?? false);
  peer.speak(callId, (i) => toneFrame(TONES.customer, i));
  peer.speak(agentChannel, (i) => toneFrame(TONES.agent, i));
  return { callId, agentChannel };
}

/** Sends the supervisor's tone for a while and returns which tones each party heard of it. */
async function whisperFor(sessionId: string, callId: string, agentChannel: string) {
  peer.heard.clear();
  for (let i = 0; i < 25; i++) {
    platform.supervisorAudio(sessionId, toneFrame(TONES.supervisor, i));
    await new Promise((r) => setTimeout(r, 4));
  }
  await new Promise((r) => setTimeout(r, 100));
  const tones = (id: string) => [...new Set((peer.heard.get(id) ?? []).flatMap((f) => tonesIn(f)))];
  return { agent: tones(agentChannel), customer: tones(callId) };
}

describe('Asterisk adapter against a scripted ARI peer', () => {
  it('connects with the application, subscribes it to every channel, bridge and endpoint (not to device states), and reads the channels and bridges in progress', () => {
    expect(peer.requests).toEqual(CONNECT);
  });

  it('a caller handed over by the dialplan rings the agent, and answering bridges them: the exact requests and events', async () => {
    peer.clearRequests();
    const { callId, agentChannel } = await answeredCall();
    expect(peer.requests).toEqual([
      `POST /bridges/earshot-call-${callId}?name=Billing&type=mixing`,
      `POST /bridges/earshot-call-${callId}/addChannel?channel=${callId}`,
      `POST /channels/${callId}/ring`,
      `POST /channels/${agentChannel}?app=earshot&appArgs=agent&callerId=+15550001111&endpoint=PJSIP/1001`,
      `POST /channels/${callId}/answer`,
      `POST /bridges/earshot-call-${callId}/addChannel?channel=${agentChannel}`,
    ]);
    expect(host.events).toEqual([
      { type: 'offered', endpoint: 'PJSIP/1001', call: { callId, queue: 'Billing', direction: 'inbound', remoteNumber: '+15550001111' } },
      { type: 'answered', endpoint: 'PJSIP/1001', callId },
    ]);
    expect(host.queueEvents.map((e) => e.type)).toEqual(['waiting', 'answered']);
  });

  it('coach: two snoops (spy=in, spy=out with whisper=out); the tracks arrive apart; the coach reaches the agent only; barge reaches both; stop tears it all down', async () => {
    const { callId, agentChannel } = await answeredCall();
    peer.clearRequests();
    await platform.openSupervisorLeg({ sessionId: 's1', callId, endpoint: 'PJSIP/1001', mode: 'coach' });
    const leg = (track: string) => `earshot-tap-${callId}-${track}`;
    expect(portless(peer.requests)).toEqual([
      `POST /bridges/${leg('agent')}?type=mixing`,
      `POST /channels/externalMedia?app=earshot&channelId=${leg('agent')}-em&direction=both&encapsulation=rtp&external_host=127.0.0.1:PORT&format=ulaw&transport=udp`,
      `POST /bridges/${leg('agent')}/addChannel?channel=${leg('agent')}-em`,
      `POST /channels/${agentChannel}/snoop/${leg('agent')}-snoop1?app=earshot&spy=in&whisper=none`,
      `POST /bridges/${leg('agent')}/addChannel?channel=${leg('agent')}-snoop1`,
      `POST /bridges/${leg('customer')}?type=mixing`,
      `POST /channels/externalMedia?app=earshot&channelId=${leg('customer')}-em&direction=both&encapsulation=rtp&external_host=127.0.0.1:PORT&format=ulaw&transport=udp`,
      `POST /bridges/${leg('customer')}/addChannel?channel=${leg('customer')}-em`,
      `POST /channels/${agentChannel}/snoop/${leg('customer')}-snoop1?app=earshot&spy=out&whisper=out`,
      `POST /bridges/${leg('customer')}/addChannel?channel=${leg('customer')}-snoop1`,
    ]);
    await until('both tracks', () => host.tonesOf('agent') !== null && host.tonesOf('customer') !== null);
    expect(host.tonesOf('agent')).toEqual(['agent']);
    expect(host.tonesOf('customer')).toEqual(['customer']);

    // Coach: the agent hears the supervisor, the customer never does.
    expect(await whisperFor('s1', callId, agentChannel)).toEqual({ agent: ['supervisor'], customer: [] });

    peer.clearRequests();
    await platform.changeLegMode('s1', 'barge');
    expect(peer.requests).toEqual([
      `DELETE /channels/${leg('customer')}-snoop1?reason=normal`,
      `POST /channels/${agentChannel}/snoop/${leg('customer')}-snoop2?app=earshot&spy=out&whisper=both`,
      `POST /bridges/${leg('customer')}/addChannel?channel=${leg('customer')}-snoop2`,
    ]);
    expect(await whisperFor('s1', callId, agentChannel)).toEqual({ agent: ['supervisor'], customer: ['supervisor'] });

    await platform.changeLegMode('s1', 'monitor');
    expect(peer.snoops().find((s) => s.id.startsWith(leg('customer')))?.snoop).toEqual({ target: agentChannel, spy: 'out', whisper: 'none' });
    expect(await whisperFor('s1', callId, agentChannel)).toEqual({ agent: [], customer: [] });

    peer.clearRequests();
    await platform.closeSupervisorLeg('s1');
    expect(peer.requests).toEqual([
      `DELETE /channels/${leg('agent')}-snoop1?reason=normal`,
      `DELETE /channels/${leg('agent')}-em?reason=normal`,
      `DELETE /bridges/${leg('agent')}`,
      `DELETE /channels/${leg('customer')}-snoop3?reason=normal`,
      `DELETE /channels/${leg('customer')}-em?reason=normal`,
      `DELETE /bridges/${leg('customer')}`,
    ]);
    expect(peer.externalMediaChannels()).toEqual([]);
    expect([...peer.bridges.keys()]).toEqual([`earshot-call-${callId}`]);
  });

  it('take over: the supervisor leg joins the call bridge, the agent leaves; the customer hears the supervisor; end hangs up', async () => {
    const { callId, agentChannel } = await answeredCall();
    await platform.openSupervisorLeg({ sessionId: 's2', callId, endpoint: 'PJSIP/1001', mode: 'monitor' });
    await platform.changeLegMode('s2', 'takeOver');
    peer.clearRequests();
    await platform.takeOver('s2');
    const em = `earshot-takeover-${callId}-em`;
    expect(portless(peer.requests).slice(0, 5)).toEqual([
      `POST /channels/externalMedia?app=earshot&channelId=${em}&direction=both&encapsulation=rtp&external_host=127.0.0.1:PORT&format=ulaw&transport=udp`,
      `POST /bridges/earshot-call-${callId}/addChannel?channel=${em}`,
      `POST /bridges/earshot-call-${callId}/removeChannel?channel=${agentChannel}`,
      `DELETE /channels/${agentChannel}?reason=normal`,
      `DELETE /channels/earshot-tap-${callId}-agent-snoop1?reason=normal`,
    ]);
    expect(peer.bridges.get(`earshot-call-${callId}`)?.channels).toEqual([callId, em]);
    // The agent leaving is no end of the call.
    await new Promise((r) => setTimeout(r, 50));
    expect(host.events.filter((e) => e.type === 'ended')).toEqual([]);
    host.frames.length = 0;
    await until('the customer track from the take-over leg', () => host.tonesOf('customer') !== null);
    expect(host.tonesOf('customer')).toEqual(['customer']);
    const heard = await whisperFor('s2', callId, agentChannel);
    expect(heard.customer).toEqual(['supervisor']);

    peer.clearRequests();
    await platform.endCall(callId);
    expect(peer.requests[0]).toBe(`DELETE /channels/${callId}?reason=normal`);
    expect(host.events.at(-1)).toEqual({ type: 'ended', endpoint: 'PJSIP/1001', callId });
    await until('the take-over leg hung up', () => peer.externalMediaChannels().length === 0);
    expect(peer.channels.size).toBe(0);
  });

  it("the phone holds and resumes (ChannelHold from the driver) and Earshot asks nothing of Asterisk; the desktop hold mutes the agent both ways and plays the customer music on hold, and raises no event; a phone's resume does not undo it; the agent hangs up", async () => {
    const { callId, agentChannel } = await answeredCall();
    peer.clearRequests();
    // The bridge passes the phone's hold on to the caller's channel, whose driver plays the music (Asterisk 22.10.1).
    peer.phoneHold(agentChannel, true);
    peer.phoneHold(agentChannel, false);
    await until('hold and resume', () => host.events.length === 4);
    expect(host.events.slice(2)).toEqual([
      { type: 'held', endpoint: 'PJSIP/1001', callId },
      { type: 'resumed', endpoint: 'PJSIP/1001', callId },
    ]);
    expect(peer.requests).toEqual([]);
    const deskHoldAndUnhold = [
      `POST /channels/${agentChannel}/mute?direction=both`,
      `POST /channels/${callId}/moh`,
      `DELETE /channels/${callId}/moh`,
      `DELETE /channels/${agentChannel}/mute?direction=both`,
    ];
    peer.clearRequests();
    await platform.agentControl({ callId, endpoint: 'PJSIP/1001', control: 'hold' });
    await platform.agentControl({ callId, endpoint: 'PJSIP/1001', control: 'unhold' });
    expect(peer.requests).toEqual(deskHoldAndUnhold);
    expect(host.events).toHaveLength(4);
    // A phone's resume while the desktop holds the call does not take the desktop's hold off.
    peer.clearRequests();
    await platform.agentControl({ callId, endpoint: 'PJSIP/1001', control: 'hold' });
    peer.phoneHold(agentChannel, false);
    await new Promise((r) => setTimeout(r, 50));
    expect(host.events).toHaveLength(4);
    await platform.agentControl({ callId, endpoint: 'PJSIP/1001', control: 'unhold' });
    expect(peer.requests).toEqual(deskHoldAndUnhold);
    await expect(platform.agentControl({ callId, endpoint: 'PJSIP/1001', control: 'answer' })).rejects.toThrow(/phone/);

    peer.hangup(agentChannel);
    await until('ended', () => host.events.at(-1)?.type === 'ended');
    await until('the caller hung up too', () => !peer.channels.has(callId));
    expect(host.events.at(-1)).toEqual({ type: 'ended', endpoint: 'PJSIP/1001', callId });
    await until('the call bridge destroyed', () => peer.bridges.size === 0);
  });

  it('when the snooped agent channel dies, the External Media channels left alone are hung up', async () => {
    const { callId, agentChannel } = await answeredCall();
    await platform.openSupervisorLeg({ sessionId: 's3', callId, endpoint: 'PJSIP/1001', mode: 'monitor' });
    expect(peer.externalMediaChannels()).toHaveLength(2);
    peer.hangup(agentChannel);
    await until('every External Media channel hung up', () => peer.externalMediaChannels().length === 0);
    expect(peer.requests).toContain(`DELETE /channels/earshot-tap-${callId}-agent-em?reason=normal`);
    expect(peer.requests).toContain(`DELETE /channels/earshot-tap-${callId}-customer-em?reason=normal`);
    expect(host.events.at(-1)).toEqual({ type: 'ended', endpoint: 'PJSIP/1001', callId });
  });

  it('a caller who hangs up while ringing is an abandoned queue call and an end', async () => {
    const callId = peer.placeCall({ endpoint: 'PJSIP/1001', queue: 'Sales' });
    await until('dialled', () => peer.channels.has(`earshot-agent-${callId}`));
    peer.hangup(callId);
    await until('ended', () => host.events.at(-1)?.type === 'ended');
    expect(host.queueEvents.map((e) => e.type)).toEqual(['waiting', 'abandoned']);
    await until('the agent channel hung up', () => !peer.channels.has(`earshot-agent-${callId}`));
  });

  it('after an events disconnect it reconnects with backoff and reads what changed meanwhile', async () => {
    const first = await answeredCall('1764000000.100');
    const second = await answeredCall('1764000000.200');
    peer.clearRequests();
    peer.dropEvents(300);
    // While the events are down: the first call ends, and Asterisk keeps the second.
    await new Promise((r) => setTimeout(r, 20));
    peer.hangup(first.callId);
    await until('reconnected', () => peer.connections === 2, 5000);
    await until('the first call ended', () => host.events.some((e) => e.type === 'ended' && e.callId === first.callId));
    expect(peer.requests.filter((r) => !r.startsWith('DELETE'))).toEqual(CONNECT);
    expect(host.events.some((e) => e.type === 'ended' && e.callId === second.callId)).toBe(false);
    // The second call is still supervised after the reconnect.
    await platform.openSupervisorLeg({ sessionId: 's4', callId: second.callId, endpoint: 'PJSIP/1001', mode: 'coach' });
    expect(await whisperFor('s4', second.callId, second.agentChannel)).toEqual({ agent: ['supervisor'], customer: [] });
  });

  it('a restarted Earshot takes up the calls it bridged and hangs up legs nothing owns', async () => {
    const { callId, agentChannel } = await answeredCall();
    await platform.openSupervisorLeg({ sessionId: 's5', callId, endpoint: 'PJSIP/1001', mode: 'monitor' });
    // A second Earshot process connects to the same Asterisk, as after a crash of the first one.
    const host2 = new RecordingHost();
    const restarted = new AsteriskPlatform(peerSettings(peer), quietLog);
    await restarted.start(host2);
    try {
      expect(host2.events).toEqual([
        { type: 'offered', endpoint: 'PJSIP/1001', call: { callId, queue: 'Billing', direction: 'inbound', remoteNumber: '+15550001111' } },
        { type: 'answered', endpoint: 'PJSIP/1001', callId },
      ]);
      await until('the old legs hung up', () => peer.externalMediaChannels().length === 0 && peer.snoops().length === 0);
      expect(peer.channels.has(agentChannel)).toBe(true);
    } finally {
      await restarted.stop();
    }
  });

  it('a restarted Earshot keeps a Local-channel agent: the second half `<id>;2` is not a leg to hang up', async () => {
    peer.placeCall({ endpoint: 'Local/1002@agents', queue: 'Sales', number: '+15550002222', id: 'local-1' });
    const agentChannel = 'earshot-agent-local-1';
    await until('the agent dialled', () => peer.channels.has(agentChannel));
    expect(peer.channels.has(`${agentChannel};2`)).toBe(true);
    peer.answer(agentChannel);
    await until('the agent bridged', () => peer.bridges.get('earshot-call-local-1')?.channels.includes(agentChannel) ?? false);
    await platform.stop();
    const host2 = new RecordingHost();
    const restarted = new AsteriskPlatform(peerSettings(peer), quietLog);
    await restarted.start(host2);
    try {
      expect(host2.events).toEqual([
        { type: 'offered', endpoint: 'Local/1002@agents', call: { callId: 'local-1', queue: 'Sales', direction: 'inbound', remoteNumber: '+15550002222' } },
        { type: 'answered', endpoint: 'Local/1002@agents', callId: 'local-1' },
      ]);
      await new Promise((r) => setTimeout(r, 100));
      expect(peer.requests.filter((r) => r.startsWith('DELETE'))).toEqual([]);
      expect(peer.channels.has(agentChannel) && peer.channels.has(`${agentChannel};2`)).toBe(true);
    } finally {
      await restarted.stop();
    }
  });

  it('refuses a wrong password and says so', async () => {
    const { lines, log } = capturedLog();
    const wrong = new AsteriskPlatform(
      {
        url: peer.url,
        user: 'earshot',
        password: 'wrong',
        app: 'earshot',
        rtpAddress: '127.0.0.1',
        rtpPorts: { min: 0, max: 0 },
        format: 'ulaw',
        connectWaitMs: 300,
        backoff: { initialMs: 1000, maxMs: 1000 },
      },
      log,
    );
    await wrong.start(new RecordingHost());
    await wrong.stop();
    expect(lines).toEqual([
      `warn Asterisk: ARI events connection lost; trying again in 1000 ms {"url":"${peer.url}","reason":"ARI refused the user and password (401)"}`,
      `warn Asterisk: no ARI connection yet; still trying {"url":"${peer.url}"}`,
    ]);
  });

  it('logs a close it expects (Asterisk going away, Earshot stopping) as info and a drop as a warning with its reason; no stack', async () => {
    const { lines, log } = capturedLog();
    const watched = new AsteriskPlatform(peerSettings(peer, { backoff: { initialMs: 50, maxMs: 50 } }), log);
    await watched.start(new RecordingHost());
    // Each client of the peer: the platform of every test, and this one.
    peer.closeEvents(1001, 'Shutting down');
    await until('the reconnect', () => peer.connections === 4);
    peer.dropEvents();
    await until('the second reconnect', () => peer.connections === 6);
    await new Promise((r) => setTimeout(r, 50));
    await watched.stop();
    const url = JSON.stringify(peer.url);
    expect(lines.filter((l) => !l.startsWith('info Asterisk: ARI connected'))).toEqual([
      `info Asterisk: ARI events connection closed by Asterisk; trying again in 50 ms {"url":${url},"reason":"closed (1001 Shutting down)"}`,
      `warn Asterisk: ARI events connection lost; trying again in 50 ms {"url":${url},"reason":"closed (1006)"}`,
      `info Asterisk: ARI events connection closed: Earshot is stopping {"url":${url}}`,
    ]);
    expect(lines.filter((l) => l.startsWith('info Asterisk: ARI connected'))).toHaveLength(3);
  });

  it('drops ChannelVarset and other events it does not act on before parsing them', () => {
    expect(parseAriEvent(JSON.stringify({ type: 'ChannelVarset', variable: 'BRIDGEPEER', value: 'PJSIP/1001-1', channel: {} }))).toBeNull();
    expect(parseAriEvent(JSON.stringify({ type: 'ChannelDtmfReceived', digit: '1' }))).toBeNull();
    expect(parseAriEvent(JSON.stringify({ type: 'ChannelHold', channel: { id: 'a', name: 'PJSIP/1001-1', state: 'Up' } }))?.type).toBe('ChannelHold');
  });
});
