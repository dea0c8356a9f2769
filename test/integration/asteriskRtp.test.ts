import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AsteriskPlatform } from '../../server/src/telephony/asterisk/asteriskPlatform.js';
import type { PlatformAgentEvent, PlatformHost, PlatformTrack } from '../../server/src/telephony/platform.js';
import { AriPeer } from '../support/ariPeer.js';
import { TONES, toneFrame, tonesIn } from '../support/goertzel.js';
import { sippPath, sippTone } from '../support/sipp.js';

/**
 * Real RTP on the wire: SIPp (Debian's sip-tester) streams a μ-law tone per track into the ports Earshot
 * gave External Media, and Earshot's whisper goes out as RTP to the port the scripted Asterisk reported
 * for the External Media channel. In CI a missing SIPp fails the test; elsewhere it is skipped with a hint.
 */
const sipp = sippPath();
const mustRun = process.env.CI === 'true';
if (!sipp && !mustRun) console.warn('asteriskRtp: SIPp not found; install it with `apt-get install sip-tester` to run the RTP test');

class Host implements PlatformHost {
  readonly events: PlatformAgentEvent[] = [];
  readonly frames: { track: PlatformTrack; frame: Int16Array }[] = [];
  agent(e: PlatformAgentEvent) { this.events.push(e); }
  queue() {}
  audio(_callId: string, track: PlatformTrack, frame: Int16Array) { this.frames.push({ track, frame }); }
  agentAt() { return undefined; }
  agents() { return []; }
  availableLongestFirst() { return []; }
  takenOverCallIds() { return new Set<string>(); }
}

const until = async (what: string, check: () => boolean, ms = 8000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

let peer: AriPeer;
let platform: AsteriskPlatform;
let host: Host;

beforeEach(async () => {
  peer = await new AriPeer().start();
  peer.sendAudio = false;
  host = new Host();
  platform = new AsteriskPlatform({
    url: peer.url, user: 'earshot', password: 'secret', app: 'earshot', rtpAddress: '127.0.0.1', rtpPorts: { min: 0, max: 0 }, format: 'ulaw',
  }, { info: () => {}, error: () => {} });
  await platform.start(host);
});

afterEach(async () => {
  await platform.stop();
  await peer.stop();
});

describe.skipIf(!sipp && !mustRun)('Asterisk adapter: real RTP', () => {
  it('SIPp is installed (sip-tester)', () => {
    expect(sipp, 'SIPp is missing: apt-get install sip-tester').not.toBeNull();
  });

  it('SIPp streams a μ-law tone per track; Earshot decodes each on its own track; the coach whisper goes out as RTP to the agent only', async () => {
    const callId = peer.placeCall({ endpoint: 'PJSIP/1001', queue: 'Billing' });
    const agentChannel = `earshot-agent-${callId}`;
    await until('dialled', () => peer.channels.has(agentChannel));
    peer.answer(agentChannel);
    await until('answered', () => host.events.some((e) => e.type === 'answered'));
    await platform.openSupervisorLeg({ sessionId: 's1', callId, endpoint: 'PJSIP/1001', mode: 'coach' });

    const port = (track: string) => peer.channels.get(`earshot-tap-${callId}-${track}-em`)!.externalMedia!.port;
    const [customer, agent] = await Promise.all([
      sippTone(sipp!, TONES.customer, port('customer'), 1500),
      sippTone(sipp!, TONES.agent, port('agent'), 1500),
    ]);
    expect(customer.code, customer.output).toBe(0);
    expect(agent.code, agent.output).toBe(0);

    const tracks = (track: PlatformTrack) => host.frames.filter((f) => f.track === track);
    // A second of tone (50 frames) on each track, and nothing else on it.
    expect(tracks('customer').length).toBeGreaterThanOrEqual(50);
    expect(tracks('agent').length).toBeGreaterThanOrEqual(50);
    const toneFrames = (track: PlatformTrack, tone: 'customer' | 'agent') => tracks(track).filter((f) => tonesIn(f.frame).join() === tone).length;
    expect(toneFrames('customer', 'customer')).toBeGreaterThanOrEqual(50);
    expect(toneFrames('agent', 'agent')).toBeGreaterThanOrEqual(50);
    expect(tracks('customer').some((f) => tonesIn(f.frame).includes('agent'))).toBe(false);
    expect(tracks('agent').some((f) => tonesIn(f.frame).includes('customer'))).toBe(false);

    // The supervisor's voice out: RTP to the port the External Media channel reported, heard by the agent only.
    for (let i = 0; i < 25; i++) {
      platform.supervisorAudio('s1', toneFrame(TONES.supervisor, i));
      await new Promise((r) => setTimeout(r, 5));
    }
    await until('the whisper arrived', () => (peer.heard.get(agentChannel)?.length ?? 0) >= 25);
    expect(peer.heard.get(agentChannel)!.every((f) => tonesIn(f).join() === 'supervisor')).toBe(true);
    expect(peer.heard.get(callId)).toBeUndefined();
  });
});
