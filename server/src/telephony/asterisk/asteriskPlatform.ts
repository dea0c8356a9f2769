import type { SupervisionMode } from '@earshot/shared';
import type { FloorLogger } from '../../live/floorPublisher.js';
import type { AgentControlRequest, PlatformCapabilities, PlatformHost, PlatformTrack, SupervisorLegRequest, TelephonyPlatform } from '../platform.js';
import { endpointOfChannelName, type AriBridge, type AriChannel, type AriEvent } from './ariModel.js';
import { AriEventSocket, type BackoffOptions } from './ariEventSocket.js';
import { AriRest, type AriConnection } from './ariRest.js';
import type { ExternalMediaFormat } from './g711.js';
import { ignoreGone, MediaLeg, type MediaLegDeps } from './mediaLeg.js';
import type { RtpPortRange } from './rtpLeg.js';
import { SPY_OF_TRACK, whisperOfMode, type TapTrack } from './snoopPlan.js';

export interface AsteriskSettings extends AriConnection {
  /** The address Asterisk sends RTP to (External Media's `external_host`); Earshot's RTP sockets bind to it. */
  rtpAddress: string;
  rtpPorts: RtpPortRange;
  format: ExternalMediaFormat;
  /** How long `start` waits for the first connection before it resolves anyway (and keeps trying). */
  connectWaitMs?: number;
  backoff?: BackoffOptions;
}

/** Every id Earshot gives a channel or bridge starts with this: after a reconnect, what is ours is known by its id. */
const OURS = 'earshot-';
const ids = {
  agentChannel: (callId: string) => `${OURS}agent-${callId}`,
  callBridge: (callId: string) => `${OURS}call-${callId}`,
  tapLeg: (callId: string, track: TapTrack) => `${OURS}tap-${callId}-${track}`,
  takeOverLeg: (callId: string) => `${OURS}takeover-${callId}`,
};
const CALL_BRIDGE_PREFIX = `${OURS}call-`;

interface AsteriskCall {
  callId: string;
  /** The caller's channel, handed to our application by the dialplan (its id is the call's id). */
  customerChannelId: string;
  /** The channel Earshot dials to the agent's endpoint. */
  agentChannelId: string;
  endpoint: string;
  queue: string;
  bridgeId: string;
  state: 'ringing' | 'talking' | 'held';
  /** Who holds the call: the phone's own key (its channel driver's ChannelHold) or the desktop; a resume undoes only its own. */
  heldBy: 'phone' | 'desktop' | null;
  /** The agent left; the supervisor's leg is with the customer. The agent's channel ending is then no end. */
  takenOver: boolean;
  ended: boolean;
  tap: CallTap | null;
  /** Operations on the call's legs, one after another (a snoop swap must not race a teardown). */
  queueTail: Promise<void>;
}

/** The two snoop legs on a call: the agent's voice (spy=in) and the customer's (spy=out, with the whisper). */
interface CallTap {
  legs: Partial<Record<TapTrack, MediaLeg>>;
  ready: Promise<void>;
  /** The session whose voice rides the whisper, and the whisper now in place on Asterisk (none while it changes). */
  whisperSession: string | null;
  whisperLive: boolean;
}

interface LegSession {
  sessionId: string;
  callId: string;
  mode: SupervisionMode;
  takeOverLeg: MediaLeg | null;
}

export const ASTERISK_CAPABILITIES: PlatformCapabilities = {
  name: 'asterisk',
  modes: ['monitor', 'coach', 'barge', 'takeOver'],
  recording: true,
  // Answering is the phone's own act (the agent picks up): Earshot cannot answer a SIP phone for them.
  agentControls: ['hold', 'unhold', 'hangUp'],
};

/**
 * Asterisk through ARI and External Media (docs/telephony/asterisk.md).
 *
 * The dialplan hands an incoming call to our Stasis application with the agent's endpoint and the queue
 * (`Stasis(earshot,PJSIP/1001,Billing)`); Earshot puts the caller in a mixing bridge, dials the agent's
 * endpoint, and bridges the agent in when they answer. The call's state follows the ARI events on those two
 * channels (answer, the phone's hold, hang-ups). Supervision snoops on the agent's channel; the audio comes
 * and goes as RTP on External Media channels.
 */
export class AsteriskPlatform implements TelephonyPlatform {
  readonly name = 'asterisk';
  readonly capabilities = ASTERISK_CAPABILITIES;
  readonly rest: AriRest;
  private readonly socket: AriEventSocket;
  private host: PlatformHost | null = null;
  private readonly calls = new Map<string, AsteriskCall>();
  private readonly callOfAgentChannel = new Map<string, AsteriskCall>();
  private readonly sessions = new Map<string, LegSession>();
  private readonly streaming = new Set<string>();
  private readonly stasis = new Set<string>();
  private readonly stasisWaiters = new Map<string, (() => void)[]>();
  private readonly legDeps: MediaLegDeps;
  private firstConnection: (() => void) | null = null;
  private stopped = false;
  connections = 0;

  constructor(
    private readonly settings: AsteriskSettings,
    private readonly log: FloorLogger,
    private readonly now: () => number = Date.now,
  ) {
    this.rest = new AriRest(settings);
    this.socket = new AriEventSocket(
      settings,
      {
        connected: () => void this.connected(),
        event: (event) => this.guard(`ARI ${event.type}`, () => this.handle(event)),
        // A connection that drops is retried and says why; no stack: the cause is on the network or in Asterisk, not here.
        disconnected: (reason, retryInMs, orderly) => {
          const fields = { url: settings.url, reason };
          if (orderly) this.log.info(`Asterisk: ARI events connection closed by Asterisk; trying again in ${retryInMs} ms`, fields);
          else this.log.warn(`Asterisk: ARI events connection lost; trying again in ${retryInMs} ms`, fields);
        },
      },
      settings.backoff,
    );
    this.legDeps = {
      rest: this.rest,
      inStasis: (channelId) => this.inStasis(channelId),
      rtpAddress: settings.rtpAddress,
      rtpPorts: settings.rtpPorts,
      format: settings.format,
    };
  }

  async start(host: PlatformHost): Promise<void> {
    this.host = host;
    this.stopped = false;
    const connected = new Promise<void>((resolve) => (this.firstConnection = resolve));
    this.socket.start();
    const waitMs = this.settings.connectWaitMs ?? 5000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), waitMs)));
    const first = await Promise.race([connected, timedOut]);
    clearTimeout(timer);
    if (first === 'timeout') this.log.warn('Asterisk: no ARI connection yet; still trying', { url: this.settings.url });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.socket.isOpen) this.log.info('Asterisk: ARI events connection closed: Earshot is stopping', { url: this.settings.url });
    this.socket.stop();
    const closing: Promise<void>[] = [];
    for (const call of this.calls.values()) closing.push(this.serial(call, () => this.closeLegs(call)));
    await Promise.allSettled(closing);
    this.calls.clear();
    this.callOfAgentChannel.clear();
    this.sessions.clear();
    this.host = null;
  }

  // ── Supervision ────────────────────────────────────────────────────────────────────────────────────

  async openSupervisorLeg(leg: SupervisorLegRequest): Promise<void> {
    const call = this.liveCall(leg.callId);
    const session: LegSession = { sessionId: leg.sessionId, callId: call.callId, mode: leg.mode, takeOverLeg: null };
    this.sessions.set(leg.sessionId, session);
    try {
      if (leg.mode === 'takeOver') return; // takeOver() moves the call; no snoop on an agent who leaves.
      await this.serial(call, async () => {
        await this.ensureTap(call, whisperOfMode(leg.mode) === 'none' ? null : leg.sessionId, leg.mode);
        if (whisperOfMode(leg.mode) !== 'none' && call.tap!.whisperSession !== leg.sessionId) await this.setWhisper(call, leg.sessionId, leg.mode);
      });
    } catch (e) {
      this.sessions.delete(leg.sessionId);
      throw e;
    }
  }

  async changeLegMode(sessionId: string, mode: SupervisionMode): Promise<void> {
    const session = this.sessions.get(sessionId);
    if (!session) throw new Error(`no supervisor leg ${sessionId}`);
    const call = this.liveCall(session.callId);
    const before = session.mode;
    // The new mode gates the supervisor's voice at once; Asterisk's whisper follows.
    session.mode = mode;
    if (mode === 'takeOver') return;
    await this.serial(call, async () => {
      if (!call.tap) await this.ensureTap(call, null, mode);
      const owner = call.tap!.whisperSession;
      try {
        if (whisperOfMode(mode) !== 'none') await this.setWhisper(call, sessionId, mode);
        else if (owner === sessionId) await this.setWhisper(call, null, null);
      } catch (e) {
        // The old whisper left before the new one failed: it comes back, so the leg is as it was (the floor keeps the old mode).
        session.mode = before;
        const ownerMode = owner === null ? null : (this.sessions.get(owner)?.mode ?? null);
        await this.setWhisper(call, ownerMode === null ? null : owner, ownerMode).catch((undo: unknown) =>
          this.log.error(undo, 'Asterisk: the whisper could not be put back after a failed mode change', { sessionId, callId: call.callId }),
        );
        throw e;
      }
    }).catch((e: unknown) => {
      session.mode = before;
      throw e;
    });
  }

  async closeSupervisorLeg(sessionId: string): Promise<void> {
    const session = this.sessions.get(sessionId);
    if (!session) return;
    this.sessions.delete(sessionId);
    const call = this.calls.get(session.callId);
    if (!call) {
      await session.takeOverLeg?.close();
      return;
    }
    await this.serial(call, async () => {
      if (session.takeOverLeg) await session.takeOverLeg.close();
      // A tap nobody wants any more goes with its whisper; one still wanted loses the whisper of this session.
      if (!this.tapWanted(call)) await this.closeTap(call);
      else if (call.tap?.whisperSession === sessionId && !call.ended) await this.setWhisper(call, null, null);
    });
  }

  async takeOver(sessionId: string): Promise<void> {
    const session = this.sessions.get(sessionId);
    if (!session) throw new Error(`no supervisor leg ${sessionId}`);
    const call = this.liveCall(session.callId);
    session.mode = 'takeOver';
    await this.serial(call, async () => {
      session.takeOverLeg = await MediaLeg.open(this.legDeps, ids.takeOverLeg(call.callId), { id: call.bridgeId, own: false }, (frame) =>
        this.audio(call, 'customer', frame),
      );
      // From here the agent's channel ending is the agent leaving, not the call ending.
      call.takenOver = true;
      await ignoreGone(this.rest.removeFromBridge(call.bridgeId, [call.agentChannelId]));
      await ignoreGone(this.rest.hangup(call.agentChannelId));
      await this.closeTap(call);
    });
  }

  async endCall(callId: string): Promise<void> {
    const call = this.calls.get(callId);
    if (!call || call.ended) return;
    await ignoreGone(this.rest.hangup(call.customerChannelId));
    await this.endCallHere(call);
  }

  async agentControl(request: AgentControlRequest): Promise<void> {
    const call = this.liveCall(request.callId);
    switch (request.control) {
      case 'hold':
        // ARI's own hold (`POST /channels/{id}/hold`) only tells the agent's phone it is held: measured on
        // Asterisk 22.10.1, the customer still heard the agent. So the agent's channel is muted both ways and the
        // customer gets music on hold. Asterisk raises no ChannelHold for either (that event comes only from the
        // phone's own channel driver), so the state is ours to keep.
        await this.rest.mute(call.agentChannelId, 'both');
        await ignoreGone(this.rest.startMusicOnHold(call.customerChannelId));
        call.state = 'held';
        call.heldBy = 'desktop';
        return;
      case 'unhold':
        await ignoreGone(this.rest.stopMusicOnHold(call.customerChannelId));
        await this.rest.unmute(call.agentChannelId, 'both');
        call.state = 'talking';
        call.heldBy = null;
        return;
      case 'hangUp':
        await ignoreGone(this.rest.hangup(call.agentChannelId));
        return;
      case 'answer':
        throw new Error('Asterisk: the agent answers on the phone');
    }
  }

  // ── Audio ──────────────────────────────────────────────────────────────────────────────────────────

  streamAudio(callId: string, on: boolean): void {
    const call = this.calls.get(callId);
    if (on) this.streaming.add(callId);
    else this.streaming.delete(callId);
    if (!call || call.ended || call.state === 'ringing') return;
    void this.serial(call, async () => {
      if (on && !call.takenOver) await this.ensureTap(call, null, null);
      else if (!on && !this.tapWanted(call)) await this.closeTap(call);
    }).catch((e) => this.log.error(e, 'Asterisk: audio of a call failed', { callId }));
  }

  supervisorAudio(sessionId: string, frame: Int16Array): void {
    const session = this.sessions.get(sessionId);
    if (!session) return;
    if (session.mode === 'takeOver') {
      session.takeOverLeg?.rtp.send(frame);
      return;
    }
    const tap = this.calls.get(session.callId)?.tap;
    if (!tap || tap.whisperSession !== sessionId || !tap.whisperLive || whisperOfMode(session.mode) === 'none') return;
    tap.legs.customer?.rtp.send(frame);
  }

  agentAudio(): void {
    // An Asterisk agent speaks on the phone: their voice is already in the call.
  }

  // ── ARI events ─────────────────────────────────────────────────────────────────────────────────────

  private handle(event: AriEvent): void {
    switch (event.type) {
      case 'StasisStart': {
        this.enteredStasis(event.channel.id);
        const agentsCall = this.callOfAgentChannel.get(event.channel.id);
        if (agentsCall) void this.agentAnswered(agentsCall);
        else if (!event.channel.id.startsWith(OURS) && !this.calls.has(event.channel.id)) void this.callArrived(event.channel, event.args);
        return;
      }
      case 'ChannelStateChange': {
        const call = this.callOfAgentChannel.get(event.channel.id);
        if (call && event.channel.state === 'Up') void this.agentAnswered(call);
        return;
      }
      case 'ChannelHold':
      case 'ChannelUnhold': {
        const call = this.callOfAgentChannel.get(event.channel.id);
        if (!call || call.ended || call.takenOver) return;
        const held = event.type === 'ChannelHold';
        if (held ? call.state !== 'talking' : call.heldBy !== 'phone') return;
        this.phoneHold(call, held);
        return;
      }
      case 'StasisEnd':
        this.stasis.delete(event.channel.id);
        this.channelGone(event.channel.id);
        return;
      case 'ChannelDestroyed':
        this.stasis.delete(event.channel.id);
        this.channelGone(event.channel.id);
        return;
      default:
        return;
    }
  }

  /** The dialplan handed us a caller: `Stasis(app,<agent endpoint>[,<queue>])`. */
  private async callArrived(channel: AriChannel, args: readonly string[]): Promise<void> {
    const endpoint = args[0];
    if (!endpoint) {
      this.log.info('Asterisk: a channel without an agent endpoint entered the application; left alone', { channel: channel.name, app: this.settings.app });
      return;
    }
    const callId = channel.id;
    const call = this.track({
      callId,
      customerChannelId: channel.id,
      agentChannelId: ids.agentChannel(callId),
      endpoint,
      queue: args[1] || 'default',
      bridgeId: ids.callBridge(callId),
      state: 'ringing',
    });
    const at = this.now();
    this.host?.queue({ type: 'waiting', queue: call.queue, callId, since: at });
    // Offered before the dial: a phone that answers at once sends its StasisStart before the dial's answer.
    this.host?.agent({
      type: 'offered',
      endpoint,
      call: { callId, queue: call.queue, direction: 'inbound', remoteNumber: channel.caller?.number || 'anonymous' },
    });
    try {
      await this.rest.createBridge(call.bridgeId, call.queue);
      await this.rest.addToBridge(call.bridgeId, [call.customerChannelId]);
      // Ringback is a courtesy: a caller the dialplan already answered may refuse it.
      await this.rest.ring(call.customerChannelId).catch(() => {});
      await this.rest.originate(call.agentChannelId, endpoint, 'agent', channel.caller?.number || undefined);
    } catch (e) {
      this.log.error(e, 'Asterisk: could not ring the agent', { endpoint, callId });
      await ignoreGone(this.rest.hangup(call.customerChannelId)).catch(() => {});
      await this.endCallHere(call);
    }
  }

  private async agentAnswered(call: AsteriskCall): Promise<void> {
    if (call.state !== 'ringing' || call.ended) return;
    call.state = 'talking';
    this.host?.agent({ type: 'answered', endpoint: call.endpoint, callId: call.callId });
    this.host?.queue({ type: 'answered', queue: call.queue, callId: call.callId, at: this.now() });
    try {
      // The dialplan may have answered the caller already: then there is nothing to answer.
      await this.rest.answer(call.customerChannelId).catch(() => {});
      await this.inStasis(call.agentChannelId);
      await this.rest.addToBridge(call.bridgeId, [call.agentChannelId]);
      if (this.streaming.has(call.callId)) await this.serial(call, () => this.ensureTap(call, null, null));
    } catch (e) {
      this.log.error(e, 'Asterisk: could not connect the agent to the call', { endpoint: call.endpoint, callId: call.callId });
    }
  }

  /**
   * The phone's own hold key. Nothing to ask of Asterisk: the call's bridge passes the hold on to the caller's
   * channel, whose driver plays them music on hold (seen on 22.10.1 with a PJSIP phone).
   */
  private phoneHold(call: AsteriskCall, held: boolean): void {
    call.state = held ? 'held' : 'talking';
    call.heldBy = held ? 'phone' : null;
    this.host?.agent({ type: held ? 'held' : 'resumed', endpoint: call.endpoint, callId: call.callId });
  }

  /** A channel left our application or was destroyed. */
  private channelGone(channelId: string): void {
    const asCustomer = this.calls.get(channelId);
    if (asCustomer) {
      void this.endCallHere(asCustomer);
      return;
    }
    const asAgent = this.callOfAgentChannel.get(channelId);
    if (asAgent) {
      if (!asAgent.takenOver) void this.endCallHere(asAgent);
      return;
    }
    if (!channelId.startsWith(OURS)) return;
    // A snoop dies with the channel it snooped, but the External Media channel bridged to it stays up alone.
    for (const call of this.calls.values()) {
      for (const leg of Object.values(call.tap?.legs ?? {})) {
        if (leg && !leg.isClosed && (leg.currentSnoopId === channelId || leg.externalMediaId === channelId)) {
          void this.serial(call, () => leg.close()).catch((e) => this.log.error(e, 'Asterisk: closing a leg failed', { leg: leg.id, callId: call.callId }));
        }
      }
    }
  }

  /** The call is over on Asterisk's side: tell the floor, hang up what is left, let go of its legs. */
  private async endCallHere(call: AsteriskCall): Promise<void> {
    if (call.ended) return;
    call.ended = true;
    const at = this.now();
    if (call.state === 'ringing') this.host?.queue({ type: 'abandoned', queue: call.queue, callId: call.callId, at });
    this.host?.agent({ type: 'ended', endpoint: call.endpoint, callId: call.callId });
    this.calls.delete(call.callId);
    this.callOfAgentChannel.delete(call.agentChannelId);
    this.streaming.delete(call.callId);
    try {
      await this.serial(call, async () => {
        await this.closeLegs(call);
        await ignoreGone(this.rest.hangup(call.customerChannelId));
        if (!call.takenOver) await ignoreGone(this.rest.hangup(call.agentChannelId));
        await ignoreGone(this.rest.destroyBridge(call.bridgeId));
      });
    } catch (e) {
      if (!this.stopped) this.log.error(e, 'Asterisk: cleaning up a call failed', { callId: call.callId });
    }
  }

  // ── Reconnect ──────────────────────────────────────────────────────────────────────────────────────

  /**
   * Every (re)connection reads the channels and bridges in progress: calls that ended while the events
   * were not flowing end here too, calls answered meanwhile are answered, calls bridged by an earlier run
   * of Earshot are taken up again, and our channels that nothing owns any more are hung up.
   */
  private async connected(): Promise<void> {
    this.connections++;
    try {
      // Subscribed before reading: a change after the read then arrives as an event.
      await this.rest.subscribeToAll();
      const [channels, bridges] = await Promise.all([this.rest.listChannels(), this.rest.listBridges()]);
      this.reconcile(new Map(channels.map((c) => [c.id, c])), bridges);
      this.log.info('Asterisk: ARI connected', { url: this.settings.url, app: this.settings.app, callsInProgress: this.calls.size });
    } catch (e) {
      this.log.error(e, 'Asterisk: reading the channels in progress failed');
    } finally {
      this.firstConnection?.();
      this.firstConnection = null;
    }
  }

  private reconcile(channels: Map<string, AriChannel>, bridges: readonly AriBridge[]): void {
    for (const id of channels.keys()) if (id.startsWith(OURS) || this.calls.has(id)) this.enteredStasis(id);
    for (const call of [...this.calls.values()]) {
      const agent = channels.get(call.agentChannelId);
      if (!channels.has(call.customerChannelId) || (!call.takenOver && !agent)) void this.endCallHere(call);
      else if (agent?.state === 'Up' && call.state === 'ringing') void this.agentAnswered(call);
    }
    const owned = new Set<string>();
    for (const call of this.calls.values()) {
      owned.add(call.bridgeId);
      for (const leg of Object.values(call.tap?.legs ?? {})) if (leg) for (const id of [leg.id, leg.externalMediaId, leg.currentSnoopId]) if (id) owned.add(id);
    }
    for (const s of this.sessions.values()) if (s.takeOverLeg) owned.add(s.takeOverLeg.externalMediaId);
    for (const bridge of bridges) {
      if (!bridge.id.startsWith(CALL_BRIDGE_PREFIX) || owned.has(bridge.id)) continue;
      const callId = bridge.id.slice(CALL_BRIDGE_PREFIX.length);
      const customer = channels.get(callId);
      const agent = channels.get(ids.agentChannel(callId));
      if (customer && agent) {
        this.adopt(customer, agent, bridge);
        owned.add(bridge.id);
      }
    }
    for (const [id] of channels) {
      // An agent phone reached through a Local channel comes in two halves, and Asterisk names the second one
      // `<id>;2`: it lives and dies with its first half (hanging it up would hang up the agent; seen on 22.10.1).
      if (id.endsWith(';2') && channels.has(id.slice(0, -2))) continue;
      if (id.startsWith(OURS) && !owned.has(id) && !this.callOfAgentChannel.has(id)) void ignoreGone(this.rest.hangup(id)).catch(() => {});
    }
    for (const bridge of bridges) {
      if (bridge.id.startsWith(OURS) && !owned.has(bridge.id)) {
        // A call bridge with its customer but no agent was taken over by a session this run does not know: end it.
        const callId = bridge.id.startsWith(CALL_BRIDGE_PREFIX) ? bridge.id.slice(CALL_BRIDGE_PREFIX.length) : null;
        if (callId && channels.has(callId)) void ignoreGone(this.rest.hangup(callId)).catch(() => {});
        void ignoreGone(this.rest.destroyBridge(bridge.id)).catch(() => {});
      }
    }
  }

  /** A call an earlier run of Earshot bridged: the floor hears of it as offered and, when up, answered. */
  private adopt(customer: AriChannel, agent: AriChannel, bridge: AriBridge): void {
    const endpoint = endpointOfChannelName(agent.name);
    const call = this.track({
      callId: customer.id,
      customerChannelId: customer.id,
      agentChannelId: agent.id,
      endpoint,
      queue: typeof bridge.name === 'string' && bridge.name ? bridge.name : 'default',
      bridgeId: bridge.id,
      state: 'ringing',
    });
    this.host?.agent({
      type: 'offered',
      endpoint,
      call: { callId: call.callId, queue: call.queue, direction: 'inbound', remoteNumber: customer.caller?.number || 'anonymous' },
    });
    if (agent.state === 'Up') {
      call.state = 'talking';
      this.host?.agent({ type: 'answered', endpoint, callId: call.callId });
    }
  }

  // ── Legs ───────────────────────────────────────────────────────────────────────────────────────────

  private async ensureTap(call: AsteriskCall, whisperSession: string | null, mode: SupervisionMode | null): Promise<void> {
    if (call.tap) return call.tap.ready;
    if (call.state === 'ringing') throw new Error(`call ${call.callId} is not answered yet`);
    const tap: CallTap = { legs: {}, ready: Promise.resolve(), whisperSession, whisperLive: false };
    call.tap = tap;
    tap.ready = (async () => {
      for (const track of ['agent', 'customer'] as const) {
        const leg = await MediaLeg.open(this.legDeps, ids.tapLeg(call.callId, track), { id: ids.tapLeg(call.callId, track), own: true }, (frame) =>
          this.audio(call, track, frame),
        );
        tap.legs[track] = leg;
        await leg.snoop(call.agentChannelId, SPY_OF_TRACK[track], track === 'customer' ? whisperOfMode(whisperSession ? mode : null) : 'none');
      }
      tap.whisperLive = whisperSession !== null;
    })();
    try {
      await tap.ready;
    } catch (e) {
      await this.closeTap(call);
      throw e;
    }
  }

  /** Puts the whisper of `mode` on the customer-track snoop for `sessionId` (none: `sessionId` null). */
  private async setWhisper(call: AsteriskCall, sessionId: string | null, mode: SupervisionMode | null): Promise<void> {
    const tap = call.tap;
    const leg = tap?.legs.customer;
    if (!tap || !leg) throw new Error(`call ${call.callId} has no snoop`);
    tap.whisperLive = false;
    tap.whisperSession = sessionId;
    await leg.snoop(call.agentChannelId, SPY_OF_TRACK.customer, whisperOfMode(mode));
    tap.whisperLive = sessionId !== null && whisperOfMode(mode) !== 'none';
  }

  private tapWanted(call: AsteriskCall): boolean {
    if (call.ended || call.takenOver) return false;
    if (this.streaming.has(call.callId)) return true;
    for (const s of this.sessions.values()) if (s.callId === call.callId && s.mode !== 'takeOver') return true;
    return false;
  }

  private async closeTap(call: AsteriskCall): Promise<void> {
    const tap = call.tap;
    if (!tap) return;
    call.tap = null;
    await tap.ready.catch(() => {});
    for (const leg of Object.values(tap.legs)) await leg?.close();
  }

  private async closeLegs(call: AsteriskCall): Promise<void> {
    await this.closeTap(call);
    for (const s of [...this.sessions.values()]) {
      if (s.callId === call.callId && s.takeOverLeg) {
        await s.takeOverLeg.close();
        s.takeOverLeg = null;
      }
    }
  }

  private audio(call: AsteriskCall, track: PlatformTrack, frame: Int16Array): void {
    this.host?.audio(call.callId, track, frame, this.now());
  }

  // ── Bookkeeping ────────────────────────────────────────────────────────────────────────────────────

  private track(fields: Omit<AsteriskCall, 'heldBy' | 'takenOver' | 'ended' | 'tap' | 'queueTail'>): AsteriskCall {
    const call: AsteriskCall = { ...fields, heldBy: null, takenOver: false, ended: false, tap: null, queueTail: Promise.resolve() };
    this.calls.set(call.callId, call);
    this.callOfAgentChannel.set(call.agentChannelId, call);
    return call;
  }

  private liveCall(callId: string): AsteriskCall {
    const call = this.calls.get(callId);
    if (!call || call.ended) throw new Error(`Asterisk: no call ${callId} in progress`);
    return call;
  }

  private serial<T>(call: AsteriskCall, fn: () => Promise<T>): Promise<T> {
    const run = call.queueTail.then(fn, fn);
    call.queueTail = run.then(
      () => {},
      () => {},
    );
    return run;
  }

  private enteredStasis(channelId: string): void {
    this.stasis.add(channelId);
    const waiters = this.stasisWaiters.get(channelId);
    this.stasisWaiters.delete(channelId);
    for (const w of waiters ?? []) w();
  }

  /** ARI answers a snoop or External Media request before the channel's StasisStart; a bridge takes it only after. */
  private inStasis(channelId: string, timeoutMs = 5000): Promise<void> {
    if (this.stasis.has(channelId)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const list = this.stasisWaiters.get(channelId);
        if (list)
          this.stasisWaiters.set(
            channelId,
            list.filter((w) => w !== done),
          );
        reject(new Error(`channel ${channelId} did not enter ${this.settings.app}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      const list = this.stasisWaiters.get(channelId) ?? [];
      list.push(done);
      this.stasisWaiters.set(channelId, list);
    });
  }

  private guard(what: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.log.error(e, `Asterisk: ${what} failed`);
    }
  }
}
