import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AsteriskPlatform } from '../../server/src/telephony/asterisk/asteriskPlatform.js';
import type { PlatformTrack } from '../../server/src/telephony/platform.js';
import { AriPeer, peerSettings } from '../support/ariPeer.js';
import { quietLog } from '../support/capturedLog.js';
import { RecordingHost } from '../support/recordingHost.js';
import { baresipPath, BaresipPeer, freeRtpPortPair } from '../support/baresip.js';
import { TONES, toneFrame, tonesIn } from '../support/goertzel.js';
import { freeUdpPort, sippCallWithMedia, sippPath, sippTone } from '../support/sipp.js';

/**
 * Real RTP on the wire, both ways, with Debian's tools standing in for Asterisk's side of the External
 * Media channels (the scripted ARI peer does the ARI part and reports their ports):
 * - the agent track: SIPp streams a μ-law 660 Hz tone (`rtp_stream`) into the port Earshot gave;
 * - the customer track and the whisper: baresip, called by SIPp with an SDP naming Earshot's port, sends a
 *   440 Hz tone as μ-law RTP there, and records (decoded, with its sndfile module) the RTP Earshot sends to
 *   the port the External Media channel reported, which is baresip's.
 * In CI a missing tool fails the test; elsewhere it is skipped with a hint.
 */
const sipp = sippPath();
const baresip = baresipPath();
const mustRun = process.env.CI === 'true';
const haveTools = Boolean(sipp && baresip);
if (!haveTools && !mustRun) console.warn('asteriskRtp: skipped; install the RTP tools with `apt-get install sip-tester baresip-core`');

const until = async (what: string, check: () => boolean, ms = 8000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

let peer: AriPeer;
let platform: AsteriskPlatform;
let host: RecordingHost;

beforeEach(async () => {
  peer = await new AriPeer().start();
  peer.sendAudio = false;
  host = new RecordingHost();
  platform = new AsteriskPlatform(peerSettings(peer), quietLog);
  await platform.start(host);
});

afterEach(async () => {
  await platform.stop();
  await peer.stop();
});

describe.skipIf(!haveTools && !mustRun)('Asterisk adapter: real RTP', () => {
  it('SIPp (sip-tester) and baresip are installed', () => {
    expect(sipp, 'SIPp is missing: apt-get install sip-tester').not.toBeNull();
    expect(baresip, 'baresip is missing: apt-get install baresip-core').not.toBeNull();
  });

  it('μ-law tones from SIPp and baresip arrive decoded on their own tracks; the coach whisper reaches baresip as RTP, recorded as the tone sent', async () => {
    const customerRtp = await freeRtpPortPair();
    const ua = new BaresipPeer(baresip!, await freeUdpPort(), customerRtp);
    // baresip plays Asterisk's side of the customer-track External Media channel: the whisper goes to it.
    peer.reportedPort = (id) => (id.endsWith('-customer-em') ? customerRtp : undefined);

    const callId = peer.placeCall({ endpoint: 'PJSIP/1001', queue: 'Billing' });
    const agentChannel = `earshot-agent-${callId}`;
    await until('dialled', () => peer.channels.has(agentChannel));
    peer.answer(agentChannel);
    await until('answered', () => host.events.some((e) => e.type === 'answered'));
    await platform.openSupervisorLeg({ sessionId: 's1', callId, endpoint: 'PJSIP/1001', mode: 'coach' });
    const port = (track: string) => peer.channels.get(`earshot-tap-${callId}-${track}-em`)!.externalMedia!.port;

    ua.start(TONES.customer, 6);
    await ua.ready();
    const customerCall = sippCallWithMedia(sipp!, ua.sipPort, port('customer'), 3000);
    const agentTone = sippTone(sipp!, TONES.agent, port('agent'), 2000);

    const tracks = (track: PlatformTrack) => host.frames.filter((f) => f.track === track);
    await until("baresip's tone on the customer track", () => tracks('customer').length >= 10).catch((e: Error) => {
      throw new Error(`${e.message}; baresip printed:\n${ua.lastOutput()}`);
    });
    // The supervisor coaches for a second and a half while the call is up.
    for (let i = 0; i < 75; i++) {
      platform.supervisorAudio('s1', toneFrame(TONES.supervisor, i));
      await new Promise((r) => setTimeout(r, 20));
    }
    const [call, agent] = await Promise.all([customerCall, agentTone]);
    expect(call.code, call.output).toBe(0);
    expect(agent.code, agent.output).toBe(0);
    await ua.done();

    const toneFrames = (track: PlatformTrack, tone: 'customer' | 'agent') => tracks(track).filter((f) => tonesIn(f.frame).join() === tone).length;
    expect(toneFrames('customer', 'customer')).toBeGreaterThanOrEqual(50);
    expect(toneFrames('agent', 'agent')).toBeGreaterThanOrEqual(50);
    expect(tracks('customer').some((f) => tonesIn(f.frame).includes('agent'))).toBe(false);
    expect(tracks('agent').some((f) => tonesIn(f.frame).includes('customer'))).toBe(false);

    // What baresip recorded: the supervisor's 880 Hz, frame after frame (at least a second of it), and nothing else.
    const recorded = ua.received();
    const frames = Array.from({ length: Math.floor(recorded.length / 160) }, (_, i) => recorded.subarray(i * 160, i * 160 + 160));
    const heard = frames.map((f) => tonesIn(f).join());
    expect(heard.filter((t) => t === 'supervisor').length).toBeGreaterThanOrEqual(50);
    expect(heard.filter((t) => t !== 'supervisor' && t !== '')).toEqual([]);
  });
});
