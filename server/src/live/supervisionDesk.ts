import type { AgentPhoneState, SupervisionEnded, SupervisionMode, SupervisionNotice, SupervisionSessionView } from '@earshot/shared';
import type { Actor } from '../domain/actor.js';
import { agentReceivesNotice, supervisionNotice } from '../domain/noticePolicy.js';
import { endsTheCall, type SupervisionEvent, type SupervisionRegistry, type SupervisionSession } from '../domain/supervision.js';
import { handOverCall } from '../domain/takeOver.js';
import type { Store } from '../store/repositories.js';
import type { FloorEvents } from './floorEvents.js';
import type { FloorLogger, FloorPublisher } from './floorPublisher.js';
import type { PlannedChange } from './plannedChange.js';
import type { SessionEndLedger } from './sessionEndLedger.js';
import { endedNotice } from './sessionEndRecords.js';
import type { TakenOverCalls } from './takenOverCalls.js';
import type { UserDirectory } from './userDirectory.js';

/** What the supervision of calls needs of the floor's phones. */
export interface SupervisedPhones {
  phoneOf(userId: number): AgentPhoneState;
  /** The phone as set, or undefined for an agent the floor has not seen. */
  seen(userId: number): AgentPhoneState | undefined;
  /** Sets and publishes the agent's phone (its call, or the supervisions on it, changed). */
  setPhone(phone: AgentPhoneState): void;
}

/**
 * The supervision sessions on the floor's calls: their starts, mode changes and stops as planned changes
 * (checked now, applied once audited), the take-over hand-off, and the delivery of what the registry decides
 * in the order the product promises (the agent's notice first).
 */
export class SupervisionDesk {
  private sessionCounter = 0;

  constructor(
    private readonly registry: SupervisionRegistry,
    private readonly phones: SupervisedPhones,
    private readonly takenOver: TakenOverCalls,
    private readonly ends: SessionEndLedger,
    private readonly directory: UserDirectory,
    private readonly store: Store,
    private readonly publisher: FloorPublisher,
    private readonly events: FloorEvents,
    private readonly log: FloorLogger,
    private readonly now: () => number,
    /** This node's name among several sharing the store (null: alone): in its session ids and open rows. */
    private readonly nodeId: string | null,
  ) {}

  private nextSessionId(now: number): string {
    // Nodes sharing one store must never both name a session: the node's name keeps theirs apart.
    return `sup-${++this.sessionCounter}-${now.toString(36)}${this.nodeId === null ? '' : `-${this.nodeId}`}`;
  }

  /** A start checked as `planSupervision` checks it, writing nothing: the session id and call a start would have. */
  checkSupervision(actor: Actor, agentId: number, mode: SupervisionMode): { sessionId: string; callId: string } {
    const sessionId = this.nextSessionId(this.now());
    return {
      sessionId,
      callId: this.registry.checkStart({ sessionId, supervisor: { id: actor.id, name: actor.displayName }, mode }, this.phones.phoneOf(agentId)),
    };
  }

  /** Whether a mode change would change anything; throws what it would refuse. Writes nothing. */
  checkModeChange(actor: Actor, sessionId: string, mode: SupervisionMode): boolean {
    return this.registry.checkModeChange(sessionId, mode, actor.id);
  }

  /**
   * A start, checked now; `apply` starts it (the agent's notice first), as the view says. A take-over starts
   * with the agent still on the call: `completeTakeOver` hands it over once the telephony platform has taken it.
   */
  planSupervision(actor: Actor, agentId: number, mode: SupervisionMode, sessionId?: string): PlannedChange<SupervisionSessionView> {
    const now = this.now();
    const request = { sessionId: sessionId ?? this.nextSessionId(now), supervisor: { id: actor.id, name: actor.displayName }, mode };
    const callId = this.registry.checkStart(request, this.phones.phoneOf(agentId));
    // Kept in the action's transaction, with its audit record: a crash from here on is ended at the next start.
    this.store.supervisions.opened({ ...request, callId, agentId, startedAt: now, modeSince: now, nodeId: this.nodeId });
    return {
      result: this.viewOf({ ...request, callId, agentId, startedAt: now, modeSince: now }),
      apply: () => this.deliver(this.registry.start(request, this.phones.phoneOf(agentId), now)),
    };
  }

  /**
   * A mode change, checked now (the same mode again changes nothing); `apply` makes it and tells the agent.
   * A change to take over leaves the agent on the call: `completeTakeOver` hands it over once the telephony
   * platform has taken it (the agent's notice goes out before the platform is told).
   */
  planModeChange(actor: Actor, sessionId: string, mode: SupervisionMode): PlannedChange<SupervisionSessionView> {
    const changes = this.registry.checkModeChange(sessionId, mode, actor.id);
    const current = this.registry.get(sessionId)!;
    if (!changes) return { result: this.viewOf(current) };
    const now = this.now();
    this.store.supervisions.modeChanged(sessionId, mode, now);
    return {
      result: this.viewOf({ ...current, mode, modeSince: now }),
      apply: () => this.deliver(this.registry.changeMode(sessionId, mode, actor.id, now)),
    };
  }

  /** The platform took the call over for a session started or changed as a take-over: the agent leaves it. A session gone meanwhile: nothing. */
  completeTakeOver(sessionId: string): void {
    if (this.awaitingTakeOver(sessionId)) this.handOver(sessionId);
  }

  /**
   * The telephony platform could not take over the call of a session started as a take-over, whose notice went
   * first: there is no mode to go back to, so the session ends `platform-refused` (the agent and the supervisor
   * told, the end audited, its leg closed) and the agent stays on the call. A session gone meanwhile: nothing.
   */
  endRefusedTakeOver(sessionId: string): void {
    if (this.awaitingTakeOver(sessionId)) this.deliver(this.registry.end(sessionId, 'platform-refused', this.now()));
  }

  /** A take-over session whose call the agent has not left yet. */
  private awaitingTakeOver(sessionId: string): boolean {
    const s = this.registry.get(sessionId);
    return s?.mode === 'takeOver' && !this.takenOver.has(s.callId);
  }

  /**
   * The telephony platform could not carry out a mode change the floor already made (an upgrade, whose notice
   * went first): the session goes back to `mode` and the agent is told so. A session that has ended or
   * changed again meanwhile is left as it is.
   */
  revertModeChange(sessionId: string, mode: SupervisionMode, from: SupervisionMode): void {
    const s = this.registry.get(sessionId);
    if (s?.mode !== from || this.takenOver.has(s.callId)) return;
    const now = this.now();
    try {
      this.store.supervisions.modeChanged(sessionId, mode, now);
    } catch (e) {
      // The open session's row only matters after a crash, which ends it whatever its mode.
      this.log.error(e, 'the mode of an open supervision session could not be stored', { sessionId });
    }
    this.deliver(this.registry.restoreMode(sessionId, mode, now));
  }

  /** The supervisor's own stop, checked now; `apply` ends the session. */
  planStop(actor: Actor, sessionId: string): PlannedChange<SupervisionSession> {
    const session = this.registry.checkStop(sessionId, actor.id);
    let recorded = false;
    return {
      result: session,
      // The end's record follows the stop's own in the action's transaction: a stop costs one commit.
      alsoRecord: () => void (recorded = this.ends.recordTogether(session, 'stopped')),
      apply: () => this.deliver(this.registry.stop(sessionId, actor.id, this.now()), recorded ? sessionId : null),
    };
  }

  session(sessionId: string): SupervisionSession | undefined {
    return this.registry.get(sessionId);
  }

  sessionsOf(supervisorId: number): SupervisionSessionView[] {
    return this.registry.ofSupervisor(supervisorId).map((s) => this.viewOf(s));
  }

  private viewOf(s: SupervisionSession): SupervisionSessionView {
    return {
      sessionId: s.sessionId,
      supervisorId: s.supervisor.id,
      supervisorName: s.supervisor.name,
      mode: s.mode,
      since: s.modeSince,
      callId: s.callId,
      agentId: s.agentId,
      agentName: this.directory.name(s.agentId),
      startedAt: s.startedAt,
    };
  }

  /** The agent leaves the call for wrap-up; the call lives on with the supervisor who took it over. */
  private handOver(sessionId: string): void {
    const s = this.registry.get(sessionId)!;
    const { agent, takenOver } = handOverCall(this.phones.phoneOf(s.agentId), { sessionId, supervisorId: s.supervisor.id }, this.now());
    this.takenOver.put(takenOver);
    this.events.emit('callTakenOver', { callId: takenOver.call.callId, agentId: s.agentId, sessionId, at: this.now() });
    this.phones.setPhone(agent);
    this.log.info('call taken over; the agent leaves it', { callId: takenOver.call.callId, sessionId, supervisorId: s.supervisor.id, agentId: s.agentId });
    this.takenOver.publish(s.agentId);
  }

  dropTakenOver(callId: string, agentId: number): void {
    if (!this.takenOver.remove(callId)) return;
    this.log.info('taken-over call ended', { callId, agentId });
    this.events.emit('callEnded', { callId, agentId, at: this.now() });
    this.takenOver.publish(agentId);
  }

  /**
   * Delivers what the registry decided, in the order the product promises: the agent's notice first (before
   * the supervisor is routed any audio), then the supervisor's end notice, the audit record of an end, and
   * the board.
   */
  deliver(events: readonly SupervisionEvent[], endRecorded: string | null = null): void {
    const touchedCalls = new Map<string, number>();
    for (const event of events) {
      const { session } = event;
      if (agentReceivesNotice('supervision', this.directory.rights(session.agentId))) {
        this.publisher.toUser(session.agentId, 'notice:supervision', supervisionNotice(event));
        // On its way before the session's consequences (board, media, the answer) are even worked out.
        this.publisher.sendNow();
      }
      this.publishSession(event);
      if (event.phase === 'ended') {
        this.publisher.toUser(session.supervisor.id, 'supervise:ended', endedNotice(session, event.reason, event.at));
        // A stop's end was recorded with the stop (`planStop`).
        if (session.sessionId !== endRecorded) this.ends.record(session, event.reason);
        this.log.info(`supervision session ended: ${event.reason}`, {
          sessionId: session.sessionId,
          supervisorId: session.supervisor.id,
          agentId: session.agentId,
          callId: session.callId,
          mode: session.mode,
        });
        if (endsTheCall(event)) this.dropTakenOver(session.callId, session.agentId);
      }
      touchedCalls.set(session.callId, session.agentId);
    }
    for (const [callId, agentId] of touchedCalls) {
      const phone = this.phones.seen(agentId);
      if (phone?.call?.callId === callId) this.phones.setPhone(phone);
      else if (this.takenOver.has(callId)) this.takenOver.publish(agentId);
    }
  }

  /** `supervise:ended` of sessions that ended while this supervisor was away (a restart): for a new connection. */
  takeUndeliveredEnds(userId: number): SupervisionEnded[] {
    return this.ends.takeUndelivered(userId, 'supervise:ended') as SupervisionEnded[];
  }

  /** The agent's `ended` notices of sessions that ended while they were away (a restart), after their attach. */
  deliverUndeliveredNotices(userId: number): void {
    const notices = this.ends.takeUndelivered(userId, 'notice:supervision') as SupervisionNotice[];
    if (!agentReceivesNotice('supervision', this.directory.rights(userId))) return;
    for (const notice of notices) this.publisher.toUser(userId, 'notice:supervision', notice);
  }

  private publishSession(event: SupervisionEvent): void {
    const { session, at } = event;
    if (event.phase === 'started') this.events.emit('sessionStarted', { session, at });
    else if (event.phase === 'changed') this.events.emit('sessionChanged', { session, previousMode: event.previousMode, at });
    else this.events.emit('sessionEnded', { session, reason: event.reason, at });
  }
}
