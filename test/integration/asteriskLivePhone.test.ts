import type { AgentPhoneState, BoardDelta, SupervisionEnded, SupervisionNotice } from '@earshot/shared';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, testConfig, type EarshotServer } from '../../server/src/app.js';
import { AriRest } from '../../server/src/telephony/asterisk/ariRest.js';
import { Ear, liveAsteriskSettings, otherHalf } from '../support/asteriskEar.js';
import { baresipPath } from '../support/baresip.js';
import { BaresipPhone } from '../support/baresipPhone.js';
import { collect, until } from '../support/floor.js';
import { TONES, tonesHeard } from '../support/goertzel.js';
import { closeAllSockets, connectAs, ok, userId, type ClientSocket } from '../support/harness.js';
import { MediaClient, mediaUrl, tonesPerTrack } from '../support/mediaHarness.js';

/**
 * Opt-in: the whole server with TELEPHONY=asterisk against a real Asterisk and a real SIP phone on a PJSIP
 * endpoint. Set EARSHOT_ASTERISK_URL (and the credentials, as for asteriskLive.test.ts), EARSHOT_ASTERISK_PHONE
 * (`PJSIP/1001`), EARSHOT_ASTERISK_PHONE_PASSWORD (the endpoint's auth password) and, when not
 * 127.0.0.1:5060, EARSHOT_ASTERISK_SIP (the PJSIP transport's address); baresip must be on PATH.
 *
 * The phone is Debian's baresip, configured here in a temporary directory: it registers as the endpoint,
 * answers by itself, says 660 Hz (ausine) and records what it hears (sndfile). agent.billing's extension is
 * the endpoint. The caller is `Local/customer@earshot-live` (440 Hz), handed to the application as the
 * dialplan's `Stasis(earshot,PJSIP/1001,Billing)` would; what the caller hears is read on the dialplan side
 * of its Local channel. The supervisor says 880 Hz on the media WebSocket. The phone's hold and hang-up are
 * its own keys (ctrl_tcp), so ChannelHold comes from chan_pjsip, as with a desk phone. Asterisk's `default`
 * music-on-hold class must play something (the caller is sent it while the phone holds).
 */
const settings = liveAsteriskSettings();
const phoneEndpoint = process.env.EARSHOT_ASTERISK_PHONE ?? '';
const phonePassword = process.env.EARSHOT_ASTERISK_PHONE_PASSWORD ?? '';
const sipAddress = process.env.EARSHOT_ASTERISK_SIP || '127.0.0.1:5060';
const baresip = baresipPath();
const runs = Boolean(settings.url && phoneEndpoint && baresip);
if (!runs) {
  console.warn(
    [
      'asteriskLivePhone: skipped. To run it against a real Asterisk with PJSIP and a baresip phone:',
      '  an endpoint, auth and aor (e.g. 1001, ulaw, direct_media=no) on a PJSIP UDP transport; the [earshot-live]',
      '  dialplan of docs/telephony/asterisk.md; baresip on PATH (Debian: apt-get install baresip); then',
      '  EARSHOT_ASTERISK_URL=http://127.0.0.1:8088 EARSHOT_ASTERISK_PHONE=PJSIP/1001 EARSHOT_ASTERISK_PHONE_PASSWORD=… \\',
      '  [EARSHOT_ASTERISK_SIP=127.0.0.1:5060] npx vitest run test/integration/asteriskLivePhone.test.ts',
    ].join('\n'),
  );
}

const authorization = `Basic ${Buffer.from(`${settings.user}:${settings.password}`).toString('base64')}`;
async function ari<T>(method: 'GET' | 'POST', path: string): Promise<T> {
  const response = await fetch(`${settings.url}/ari${path}`, { method, headers: { authorization } });
  if (!response.ok) throw new Error(`ARI ${method} ${path}: ${response.status}`);
  return (await response.json()) as T;
}

/**
 * The ARI events of the sources it is subscribed to, as `<type> <channel id> (<name>, <state>)`: a listening
 * application of the test's own, named afresh on every run. Not subscribeAll: on Asterisk 22.10.1 an events
 * WebSocket with subscribeAll closed while the phone unregistered hung ARI's application registry for good
 * (the unsubscribe from device states waited on a delivery that waited on the closing session).
 */
class AriEventLog {
  readonly lines: string[] = [];
  private constructor(
    private readonly ws: WebSocket,
    readonly app: string,
  ) {}
  static open(app: string): Promise<AriEventLog> {
    const ws = new WebSocket(`${settings.url.replace(/^http/, 'ws')}/ari/events?app=${encodeURIComponent(app)}`, { headers: { authorization } });
    const log = new AriEventLog(ws, app);
    ws.on('message', (data: Buffer) => {
      const event = JSON.parse(data.toString()) as { type: string; channel?: { id: string; name: string; state: string } };
      if (event.type === 'ChannelVarset' || !event.channel) return;
      log.lines.push(`${event.type} ${event.channel.id} (${event.channel.name}, ${event.channel.state})`);
    });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(log));
      ws.once('error', reject);
    });
  }
  /** `endpoint:PJSIP/1001` (its channels' events too), `channel:<id>`. */
  async subscribe(source: string): Promise<void> {
    await ari('POST', `/applications/${encodeURIComponent(this.app)}/subscription?eventSource=${encodeURIComponent(source)}`);
  }
  has(type: string, channelId: string): boolean {
    return this.lines.some((l) => l.startsWith(`${type} ${channelId} `));
  }
  close() {
    this.ws.close();
  }
}

describe.skipIf(!runs)('a SIP phone on a PJSIP endpoint, through the server on a live Asterisk (opt-in)', () => {
  const rest = new AriRest(settings);
  const phone = new BaresipPhone(baresip ?? 'baresip', { user: phoneEndpoint.replace(/^PJSIP\//, ''), password: phonePassword, registrar: sipAddress });
  const callId = `livep-${Date.now()}`;
  const agentChannel = `earshot-agent-${callId}`;
  let server: EarshotServer;
  let events: AriEventLog;
  let agent: ClientSocket;
  let agentId: number;
  let manager: ClientSocket;
  let customerEar: Ear | undefined;
  let media: MediaClient | undefined;
  let sessionId = '';
  const phoneStates: AgentPhoneState['state'][] = [];
  let board: BoardDelta[] = [];
  /** agent.billing's phone states as the supervisor's board received them. */
  const boardStates = () =>
    board
      .filter((d) => d.entry?.userId === agentId)
      .map((d) => d.entry!.phone.state)
      .filter((state, i, all) => state !== all[i - 1]);
  let notices: SupervisionNotice[] = [];
  let ends: SupervisionEnded[] = [];

  beforeAll(async () => {
    await phone.start(TONES.agent);
    const online = async () => (await ari<{ state: string }>('GET', `/endpoints/${phoneEndpoint}`)).state === 'online';
    const end = Date.now() + 10_000;
    while (!(phone.registered && (await online()))) {
      if (Date.now() > end) throw new Error(`the phone did not register; baresip printed:\n${phone.output.slice(-1500)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    events = await AriEventLog.open(`${settings.app}-log-${callId}`);
    await events.subscribe(`endpoint:${phoneEndpoint}`);
    server = await startServer(
      testConfig({
        demo: true,
        telephony: 'asterisk',
        asterisk: { ...settings, rtpPorts: { min: 0, max: 0 }, format: 'ulaw' },
      }),
    );
    const admin = (await connectAs(server.url, 'admin')).socket;
    agentId = await userId(server, 'agent.billing');
    await ok(admin, 'users:update', { userId: agentId, extension: phoneEndpoint });
    agent = (await connectAs(server.url, 'agent.billing')).socket;
    await ok(agent, 'agent:attach', {});
    await ok(agent, 'agent:status', { status: 'available' });
    // Only the changes of state: a push also comes when something else about the phone changes (a session ends).
    agent.on('agent:phone', ({ phone: p }) => p.state !== phoneStates.at(-1) && phoneStates.push(p.state));
    manager = (await connectAs(server.url, 'manager.billing')).socket;
    board = collect<BoardDelta>(manager, 'board:delta');
    await ok(manager, 'board:subscribe', {});
    notices = collect<SupervisionNotice>(agent, 'notice:supervision');
    ends = collect<SupervisionEnded>(manager, 'supervise:ended');
  }, 30_000);

  afterAll(async () => {
    events?.close();
    console.log(`asteriskLivePhone: ARI events of the phone's endpoint and the caller's channel:\n${events?.lines.join('\n')}`);
    media?.close();
    await customerEar?.close(rest);
    await rest.hangup(callId).catch(() => {});
    closeAllSockets();
    await server?.close();
    await phone.stop();
    console.log(
      `asteriskLivePhone: baresip said:\n${phone.output
        .split(/[\r\n]+/)
        .map((l) => l.replace(/\[[0-9:]+\] audio=\S+ \(bit\/s\)\s*/g, ''))
        .filter(Boolean)
        .join('\n')}`,
    );
  });

  it('a caller for the endpoint rings the real phone; it answers by itself; the desk goes ringing → talking', async () => {
    const from = phoneStates.length;
    await rest.originate(callId, 'Local/customer@earshot-live', `${phoneEndpoint},Billing`);
    await events.subscribe(`channel:${callId}`);
    await until(() => phoneStates.includes('talking'), 10_000, 'talking');
    expect(phoneStates.slice(from)).toEqual(['ringing', 'talking']);
    await until(() => boardStates().includes('talking'), 2000, 'the board');
    expect(boardStates().slice(-2)).toEqual(['ringing', 'talking']);
    const channels = await rest.listChannels();
    expect(channels.find((c) => c.id === agentChannel)?.name).toMatch(new RegExp(`^${phoneEndpoint}-`));
    customerEar = await Ear.on(rest, settings.rtpAddress, otherHalf(channels, callId), `livep-ear-customer-${callId}`);
    await until(() => customerEar!.frames.length > 25 && phone.receivedFrames().length > 25, 5000, 'both ends hear');
    expect(customerEar.tonesSince(10)).toEqual(['agent']);
    expect(tonesHeard(phone.receivedFrames().slice(-25))).toEqual(['customer']);
  });

  /** The supervisor says 880 Hz for 1.5 s; the tones the phone and the caller heard meanwhile. */
  async function supervisorSays() {
    const from = { phone: phone.receivedFrames().length, customer: customerEar!.frames.length };
    for (let i = 0; i < 75; i++) {
      media!.sendTone(1);
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 200));
    return { phone: tonesHeard(phone.receivedFrames().slice(from.phone + 10)), customer: customerEar!.tonesSince(from.customer + 5) };
  }

  it('coach: the supervisor hears the phone and the caller apart; the coach reaches the phone and never the caller; barge: both', async () => {
    ({
      session: { sessionId },
    } = await ok(manager, 'supervise:start', { agentId, mode: 'coach' }));
    await until(() => notices.length === 1, 2000, 'the coach notice');
    expect(notices[0]).toMatchObject({ phase: 'started', mode: 'coach' });
    media = await MediaClient.open(mediaUrl(server, await ok(manager, 'media:token', { sessionId })), 'supervisor');
    expect(await tonesPerTrack(media, ['agent', 'customer'])).toEqual({ agent: ['agent'], customer: ['customer'] });
    expect(await supervisorSays()).toEqual({ phone: ['customer', 'supervisor'], customer: ['agent'] });

    await ok(manager, 'supervise:mode', { sessionId, mode: 'barge' });
    await until(() => notices.length === 2, 2000, 'the barge notice');
    expect(await supervisorSays()).toEqual({ phone: ['customer', 'supervisor'], customer: ['agent', 'supervisor'] });
  });

  /** The tones the phone and the caller heard, and how much of what the caller heard had sound in it, over the next `ms` (after 300 ms for the change to settle). */
  async function heardFor(ms: number) {
    await new Promise((r) => setTimeout(r, 300));
    const from = { phone: phone.receivedFrames().length, customer: customerEar!.frames.length };
    await new Promise((r) => setTimeout(r, ms));
    const customerFrames = customerEar!.frames.slice(from.customer);
    return {
      phone: tonesHeard(phone.receivedFrames().slice(from.phone)),
      customer: customerEar!.tonesSince(from.customer),
      /** The share of the caller's frames with a sound in them (music on hold, or a voice). */
      customerSounding: customerFrames.filter((f) => f.some((x) => Math.abs(x) > 1000)).length / Math.max(1, customerFrames.length),
    };
  }

  it("the phone's hold key: ChannelHold from chan_pjsip, the desk and the board show held, the caller gets music on hold instead of the phone; resume: talking again, the caller hears the phone again", async () => {
    const from = { desk: phoneStates.length, board: boardStates().length };
    await phone.command('hold');
    await until(() => phoneStates.length > from.desk, 5000, 'the desk told');
    await until(() => events.has('ChannelHold', agentChannel), 2000, 'ChannelHold in the event log');
    await until(() => boardStates().length > from.board, 2000, 'the board');
    expect(phoneStates.slice(from.desk)).toEqual(['held']);
    expect(boardStates().slice(from.board)).toEqual(['held']);
    // The phone, sendonly, gets nothing; the caller no longer hears it and is sent music on hold (the bridge passes
    // the hold on to the caller's channel, whose driver plays it). The music is read as sent to the caller's
    // channel: the dialplan side of the Local channel does not hear it (a Local channel plays it on its own side).
    const sentToCaller = await Ear.on(rest, settings.rtpAddress, callId, `livep-ear-sent-${callId}`, 'out');
    let heard = await heardFor(1000);
    const music = sentToCaller.frames.slice(10);
    await sentToCaller.close(rest);
    expect(heard.phone).toEqual([]);
    expect(heard.customer).not.toContain('agent');
    expect(tonesHeard(music)).not.toContain('agent');
    expect(music.filter((f) => f.some((x) => Math.abs(x) > 1000)).length).toBeGreaterThan(music.length * 0.8);
    console.log('asteriskLivePhone: on hold', heard, `; music sent to the caller in ${music.length} frames`);

    await phone.command('resume');
    await until(() => phoneStates.length > from.desk + 1, 5000, 'the desk told');
    await until(() => events.has('ChannelUnhold', agentChannel), 2000, 'ChannelUnhold in the event log');
    await until(() => boardStates().length > from.board + 1, 2000, 'the board');
    expect(phoneStates.slice(from.desk)).toEqual(['held', 'talking']);
    expect(boardStates().slice(from.board)).toEqual(['held', 'talking']);
    // What the phone receives after a hold is not in its recording (baresip 1.0.0's sndfile stops at the hold), so the
    // way back is read on the caller's side.
    heard = await heardFor(1000);
    expect(heard.customer).toEqual(['agent']);
  });

  it('the phone hangs up: the call ends on the floor, the session ends with call-ended, no leg is left on Asterisk', async () => {
    const from = { desk: phoneStates.length, board: boardStates().length };
    await phone.command('hangup');
    await until(() => ends.length === 1, 5000, 'the session ended');
    expect(ends[0]).toMatchObject({ sessionId, reason: 'call-ended' });
    await until(() => phoneStates.length > from.desk && boardStates().length > from.board, 2000, 'the call ended');
    expect(phoneStates.slice(from.desk)).toEqual(['wrapUp']);
    expect(boardStates().slice(from.board)).toEqual(['wrapUp']);
    await until(() => notices.some((n) => n.phase === 'ended'), 2000, 'the agent told');
    const left = async () => (await rest.listChannels()).map((c) => c.id).filter((id) => id.startsWith('earshot-'));
    const end = Date.now() + 3000;
    while ((await left()).length > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    expect(await left()).toEqual([]);
    expect((await rest.listChannels()).some((c) => c.id === callId)).toBe(false);
  });
});
