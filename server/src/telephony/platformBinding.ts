import type { AgentPhoneState } from '@earshot/shared';
import { ActionError } from '../domain/actionError.js';
import { applyPhoneEvent, type PhoneEvent } from '../domain/phoneState.js';
import { endOfSessionEndsCall } from '../domain/supervision.js';
import type { FloorLogger } from '../live/floorPublisher.js';
import type { LiveFloor } from '../live/liveFloor.js';
import type { PlatformAgent, PlatformAgentEvent, PlatformHost, PlatformQueueEvent, PlatformTrack, TelephonyPlatform } from './platform.js';

/** Where pushed call audio goes: the media plane's jitter buffers. */
export interface PlatformAudioSink {
  platformAudio(callId: string, track: PlatformTrack, frame: Int16Array, at: number): void;
}

/**
 * Connects one telephony platform to the live floor, both ways, and is the only place that knows both:
 * - the platform's agent events become phone events on the user its endpoint names (an event the phone
 *   has already seen, such as the echo of a control the floor applied, is ignored), its queue events the
 *   floor's queues, and its audio goes to the media plane;
 * - the floor's session ends close the platform's legs, whatever the reason (stop, call end, revocation,
 *   disconnect), and the end of a take-over hangs its call up.
 */
export class PlatformBinding implements PlatformHost {
  private readonly unsubscribe: (() => void)[] = [];
  private started = false;

  constructor(
    private readonly floor: LiveFloor,
    readonly platform: TelephonyPlatform,
    private readonly media: PlatformAudioSink,
    private readonly log: FloorLogger,
    /**
     * Several nodes: whether this node is the agent's home (holds its lease). The platform sees, and drives,
     * only those agents; its events about any other agent are another node's (docs/scale-out.md).
     */
    private readonly homedHere: (userId: number) => boolean = () => true,
  ) {
    const closeLeg = (what: string, run: () => Promise<void>) =>
      run().catch((e: unknown) => this.log.error(e, `telephony: ${what} failed`, { platform: platform.name }));
    this.unsubscribe.push(
      floor.events.on('sessionEnded', ({ session, reason }) => {
        // Earshot routes nothing more to the session already: a leg that fails to close carries no audio of ours.
        void closeLeg(`closing the leg of session ${session.sessionId}`, () => platform.closeSupervisorLeg(session.sessionId));
        // Stopping a take-over ends the call (docs/architecture.md "take over"); a call that ended needs no hang-up.
        if (endOfSessionEndsCall(session.mode, reason)) {
          void closeLeg(`ending call ${session.callId}`, () => platform.endCall(session.callId));
        }
      }),
    );
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.platform.start(this);
  }

  async stop(): Promise<void> {
    for (const off of this.unsubscribe.splice(0)) off();
    if (!this.started) return;
    this.started = false;
    await this.platform.stop();
  }

  // ── PlatformHost: events in ────────────────────────────────────────────────────────────────────────

  agent(event: PlatformAgentEvent): void {
    if (event.type === 'ended' && this.floor.takenOverCall(event.callId)) {
      this.floor.endTakenOverCall(event.callId);
      return;
    }
    const userId = this.floor.directory.userAtEndpoint(event.endpoint);
    if (userId === undefined || !this.homedHere(userId)) return;
    for (const phoneEvent of this.phoneEventsFor(this.floor.phoneOf(userId), event)) {
      try {
        this.floor.applyPhone(userId, phoneEvent);
      } catch (e) {
        // The floor moved on between the platform's event and now (a desktop agent acted): the next event sees it as it is.
        if (!(e instanceof ActionError)) throw e;
        // A state conflict (an agent logged out in Earshot whose phone rings), not a fault: a warning, no stack.
        this.log.warn(`telephony: a platform event was skipped: ${e.message}`, { platform: this.platform.name, event: event.type, endpoint: event.endpoint });
        return;
      }
    }
  }

  queue(event: PlatformQueueEvent): void {
    this.floor.applyQueue(event);
  }

  audio(callId: string, track: PlatformTrack, frame: Int16Array, at: number): void {
    this.media.platformAudio(callId, track, frame, at);
  }

  /** The phone events that bring the phone to what the platform reports; none when it is there already. */
  private phoneEventsFor(phone: AgentPhoneState, event: PlatformAgentEvent): PhoneEvent[] {
    const onThisCall = event.type !== 'offered' && event.type !== 'status' && phone.call?.callId === event.callId;
    switch (event.type) {
      case 'offered':
        return phone.call?.callId === event.call.callId ? [] : [{ type: 'offerCall', offer: { ...event.call } }];
      case 'answered':
        return onThisCall && phone.state === 'ringing' ? [{ type: 'answer' }] : [];
      case 'held':
        return onThisCall && phone.state === 'talking' ? [{ type: 'hold' }] : [];
      case 'resumed':
        return onThisCall && phone.state === 'held' ? [{ type: 'unhold' }] : [];
      case 'ended':
        return onThisCall ? [{ type: 'hangUp' }] : [];
      case 'status': {
        if (event.status === 'loggedOut') return phone.state === 'loggedOut' ? [] : [{ type: 'logout' }];
        const events: PhoneEvent[] = phone.state === 'loggedOut' ? [{ type: 'login' }] : [];
        const after = events.length ? applyPhoneEvent(phone, events[0]!, phone.since) : phone;
        if (event.status === 'available' && after.state !== 'available') events.push({ type: 'setAvailable' });
        if (event.status === 'notReady' && event.reason && (after.state !== 'notReady' || after.notReadyReason !== event.reason)) {
          events.push({ type: 'setNotReady', reason: event.reason });
        }
        return events;
      }
    }
  }

  // ── PlatformHost: the floor, read ──────────────────────────────────────────────────────────────────

  agentAt(endpoint: string): PlatformAgent | undefined {
    const userId = this.floor.directory.userAtEndpoint(endpoint);
    return userId === undefined ? undefined : this.agentOf(userId);
  }

  *agents(): Iterable<PlatformAgent> {
    for (const userId of this.floor.directory.allIds()) {
      const agent = this.agentOf(userId);
      if (agent) yield agent;
    }
  }

  *availableLongestFirst(): Iterable<PlatformAgent> {
    for (const phone of this.floor.availableLongestFirst()) {
      const agent = this.agentOf(phone.userId, phone);
      if (agent) yield agent;
    }
  }

  takenOverCallIds(): ReadonlySet<string> {
    return new Set(this.floor.takenOverCallIds());
  }

  private agentOf(userId: number, phone: AgentPhoneState = this.floor.phoneOf(userId)): PlatformAgent | undefined {
    if (!this.homedHere(userId)) return undefined;
    const endpoint = this.floor.directory.endpointOf(userId);
    const username = this.floor.directory.username(userId);
    if (endpoint === undefined || username === undefined) return undefined;
    return { endpoint, username, phone, attached: this.floor.isAgentAttached(userId) };
  }
}
