import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AriRest } from '../../server/src/telephony/asterisk/ariRest.js';
import { AsteriskPlatform } from '../../server/src/telephony/asterisk/asteriskPlatform.js';
import type { PlatformTrack } from '../../server/src/telephony/platform.js';
import { RecordingHost } from '../support/recordingHost.js';
import { Ear, liveAsteriskSettings, otherHalf } from '../support/asteriskEar.js';
import { TONES, toneFrame, tonesIn } from '../support/goertzel.js';

/**
 * Opt-in: the Asterisk adapter against a real Asterisk, skipped unless EARSHOT_ASTERISK_URL is set
 * (EARSHOT_ASTERISK_USER, EARSHOT_ASTERISK_PASSWORD, EARSHOT_ASTERISK_APP default to earshot / earshot /
 * earshot; EARSHOT_ASTERISK_RTP_ADDRESS to 127.0.0.1). Calls are made of Local channels, so no SIP phone
 * is needed; the Asterisk must have this dialplan:
 *
 *   [earshot-live]
 *   exten => customer,1,Answer()
 *    same => n,Playtones(440)
 *    same => n,Wait(120)
 *   exten => agent,1,Answer()
 *    same => n,Playtones(660)
 *    same => n,Wait(120)
 *
 * The test hands a caller to the application (an ARI originate of Local/customer@earshot-live with the
 * agent's endpoint `Local/agent@earshot-live` as argument, as the dialplan's Stasis hand-off would), lets
 * the adapter ring and bridge the agent, and supervises. What each party hears is read by snoops of its own
 * on the dialplan side (`;2`) of each Local channel, spy=in, carried to the test by External Media.
 */
const settings = liveAsteriskSettings();
const url = settings.url || undefined;
if (!url) console.warn('asteriskLive: skipped; set EARSHOT_ASTERISK_URL (and credentials) to run against a real Asterisk');

const until = async (what: string, check: () => boolean | Promise<boolean>, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe.skipIf(!url)('Asterisk adapter against a live Asterisk (opt-in)', () => {
  const host = new RecordingHost();
  const rest = new AriRest(settings);
  let platform: AsteriskPlatform;
  const callId = `live-${Date.now()}`;
  const agentChannel = `earshot-agent-${callId}`;
  let ears: { agent: Ear; customer: Ear };
  const log: string[] = [];

  beforeAll(async () => {
    platform = new AsteriskPlatform(
      { ...settings, rtpPorts: { min: 0, max: 0 }, format: 'ulaw' },
      {
        info: (m) => log.push(m),
        warn: (m) => log.push(m),
        debug: () => {},
        error: (e, m) => log.push(`${m}: ${(e as Error).message}`),
      },
    );
    await platform.start(host);
    expect(platform.connections).toBe(1);
  });

  afterAll(async () => {
    if (ears) for (const e of Object.values(ears)) await e.close(rest);
    await rest.hangup(callId).catch(() => {});
    await platform?.stop();
    if (log.length) console.log(`asteriskLive log:\n${log.join('\n')}`);
  });

  it('a caller handed to the application rings the agent endpoint; the agent answers; both are bridged', async () => {
    await rest.originate(callId, 'Local/customer@earshot-live', 'Local/agent@earshot-live,Live');
    await until('offered and answered', () => host.events.some((e) => e.type === 'answered' && e.callId === callId));
    expect(host.events.filter((e) => e.type !== 'ended').map((e) => e.type)).toEqual(['offered', 'answered']);
    await until('the agent in the bridge', async () =>
      (await rest.listBridges()).some((b) => b.id === `earshot-call-${callId}` && b.channels.includes(agentChannel)),
    );
    const channels = await rest.listChannels();
    ears = {
      agent: await Ear.on(rest, settings.rtpAddress, otherHalf(channels, agentChannel), 'livetest-agent-ear'),
      customer: await Ear.on(rest, settings.rtpAddress, otherHalf(channels, callId), 'livetest-customer-ear'),
    };
    await until('the ears hear', () => ears.agent.frames.length > 25 && ears.customer.frames.length > 25);
    // Each party hears the other.
    expect(ears.agent.tonesSince(10)).toEqual(['customer']);
    expect(ears.customer.tonesSince(10)).toEqual(['agent']);
  });

  async function supervisorSays(sessionId: string) {
    const from = { agent: ears.agent.frames.length, customer: ears.customer.frames.length };
    for (let i = 0; i < 75; i++) {
      platform.supervisorAudio(sessionId, toneFrame(TONES.supervisor, i));
      await new Promise((r) => setTimeout(r, 20));
    }
    return { agent: ears.agent.tonesSince(from.agent + 5), customer: ears.customer.tonesSince(from.customer + 5) };
  }

  it('coach: the supervisor gets the agent (660) and the customer (440) apart; the agent hears the coach, the customer never does', async () => {
    await platform.openSupervisorLeg({ sessionId: 'live-s1', callId, endpoint: 'Local/agent@earshot-live', mode: 'coach' });
    await until(
      'both tracks',
      () => host.frames.filter((f) => f.track === 'agent').length > 50 && host.frames.filter((f) => f.track === 'customer').length > 50,
    );
    const tones = (track: PlatformTrack) =>
      [
        ...new Set(
          host.frames
            .filter((f) => f.track === track)
            .slice(-40)
            .flatMap((f) => tonesIn(f.frame)),
        ),
      ].sort();
    expect(tones('agent')).toEqual(['agent']);
    expect(tones('customer')).toEqual(['customer']);
    expect(await supervisorSays('live-s1')).toEqual({ agent: ['customer', 'supervisor'], customer: ['agent'] });
  });

  it('barge: both hear the supervisor; monitor: nobody does', async () => {
    await platform.changeLegMode('live-s1', 'barge');
    expect(await supervisorSays('live-s1')).toEqual({ agent: ['customer', 'supervisor'], customer: ['agent', 'supervisor'] });
    await platform.changeLegMode('live-s1', 'monitor');
    expect(await supervisorSays('live-s1')).toEqual({ agent: ['customer'], customer: ['agent'] });
  });

  it('stop hangs up the legs; the call goes on; the caller hanging up ends it', async () => {
    await platform.closeSupervisorLeg('live-s1');
    // ARI answers a hang-up once it is queued; the channel leaves the list a moment later.
    const ours = async () => (await rest.listChannels()).filter((c) => c.id.startsWith(`earshot-tap-${callId}`)).map((c) => c.id);
    await until('the legs hung up', async () => (await ours()).length === 0, 3_000).catch(async () => expect(await ours()).toEqual([]));
    await rest.hangup(callId);
    await until('ended', () => host.events.some((e) => e.type === 'ended' && e.callId === callId));
  });
  it('a restarted Earshot takes up the call in progress that it had bridged', async () => {
    const second = `${callId}-r`;
    await rest.originate(second, 'Local/customer@earshot-live', 'Local/agent@earshot-live,Live');
    await until('answered', () => host.events.some((e) => e.type === 'answered' && e.callId === second));
    await platform.openSupervisorLeg({ sessionId: 'live-s2', callId: second, endpoint: 'Local/agent@earshot-live', mode: 'monitor' });
    await until('the legs up', async () => (await rest.listChannels()).filter((c) => c.id.startsWith(`earshot-tap-${second}`)).length === 4);
    // Earshot stops (its legs leave, the call goes on in Asterisk) and starts again.
    await platform.stop();
    const host2 = new RecordingHost();
    const restarted = new AsteriskPlatform(
      { ...settings, rtpPorts: { min: 0, max: 0 }, format: 'ulaw' },
      { debug: () => {}, info: (m) => log.push(m), warn: (m) => log.push(m), error: (e, m) => log.push(`${m}: ${(e as Error).message}`) },
    );
    await restarted.start(host2);
    try {
      await until('taken up', () => host2.events.some((e) => e.type === 'answered' && e.callId === second));
      expect(host2.events.filter((e) => ('callId' in e && e.callId === second) || ('call' in e && e.call.callId === second))).toEqual([
        {
          type: 'offered',
          endpoint: 'Local/agent@earshot-live',
          call: { callId: second, queue: 'Live', direction: 'inbound', remoteNumber: expect.any(String) },
        },
        { type: 'answered', endpoint: 'Local/agent@earshot-live', callId: second },
      ]);
      // The stop hung up its legs; ARI lists a channel for a moment after answering its hang-up.
      await until('the old legs gone', async () => (await rest.listChannels()).every((c) => !c.id.startsWith(`earshot-tap-${second}`)), 3_000);
      expect((await rest.listChannels()).some((c) => c.id === `earshot-agent-${second}`)).toBe(true);
      await rest.hangup(second);
      await until('ended at the restarted one', () => host2.events.some((e) => e.type === 'ended' && e.callId === second));
    } finally {
      await restarted.stop();
    }
  });
});
