import type {
  AgentPhoneState, AuditCall, AgentResync, BoardEntry, BoardSnapshot, SessionEndReason,
  SupervisionEnded, SupervisionMode, SupervisionNotice, SupervisionSessionView,
} from '@earshot/shared';
import type { AuditLog } from '../audit/auditLog.js';
import { ActionError } from '../domain/actionError.js';
import type { Actor } from '../domain/actor.js';
import { decideAccess } from '../domain/decideAccess.js';
import { supervisorLeft } from '../domain/helpRequest.js';
import { agentReceivesNotice, ownPhoneAsSeen, resyncSupervisionNotices, supervisionNotice } from '../domain/noticePolicy.js';
import { applyPhoneEvent, isOnCall, withSupervisions, type PhoneEvent } from '../domain/phoneState.js';
import {
  endsTheCall, rightForMode, standingOf, SupervisionRegistry, type SupervisionEvent, type SupervisionSession,
} from '../domain/supervision.js';
import { handOverCall, type TakenOverCall } from '../domain/takeOver.js';
import type { PlatformCapabilities, PlatformQueueEvent } from '../telephony/platform.js';
import { BoardSubscriptions } from './boardSubscriptions.js';
import { FloorEvents } from './floorEvents.js';
import type { FloorLogger, FloorPublisher } from './floorPublisher.js';
import { FloorConnections } from './floorConnections.js';
import { HelpDesk } from './helpDesk.js';
import { logPhoneEvent } from './phoneEventLog.js';
import { endedNotice } from './sessionEndRecords.js';
import { SessionEndLedger } from './sessionEndLedger.js';
import type { PlannedChange } from './plannedChange.js';
import { QueueBoard, type QueueBoardOptions } from './queueBoard.js';
import { PhoneBook } from './phoneBook.js';
import { RecordingControl } from './recordingControl.js';
import { TakenOverCalls } from './takenOverCalls.js';
import { UserDirectory } from './userDirectory.js';
import type { Store } from '../store/repositories.js';

export interface LiveFloorOptions {
  maxSupervisorsPerCall: number;
  /** How long a dropped connection may take to come back before its sessions end. */
  disconnectGraceMs: number;
  /** The queues the telephony serves and their service-level threshold. */
  queues?: QueueBoardOptions;
  /** What the telephony platform carries: sent with every board snapshot and agent resync, so the apps offer only that. */
  platform: PlatformCapabilities;
}

/**
 * The live floor of this node: every agent's phone state, the supervision sessions on their calls, the
 * taken-over calls, board subscriptions and help requests. The rules are the pure domain's; this class
 * keeps the state, orders the side effects (the agent's notice before anything else) and publishes.
 */
export class LiveFloor {
  readonly directory: UserDirectory;
  readonly board: BoardSubscriptions;
  readonly help: HelpDesk;
  /** What the floor publishes: media plane, recorder and telephony platform subscribe here. */
  readonly events: FloorEvents;
  readonly queues: QueueBoard;
  /** Recording changes of the live calls (`recording.plan`), and the recorder's failures (`recording.failed`). */
  readonly recording: RecordingControl;
  private readonly phones = new PhoneBook(() => this.openedAt);
  private readonly takenOver: TakenOverCalls;
  private readonly registry: SupervisionRegistry;
  private readonly connections: FloorConnections;
  private readonly ends: SessionEndLedger;
  private sessionCounter = 0;
  private openedAt = 0;

  constructor(
    private readonly store: Store,
    private readonly publisher: FloorPublisher,
    private readonly audit: AuditLog,
    private readonly log: FloorLogger,
    private readonly now: () => number,
    private readonly options: LiveFloorOptions,
  ) {
    this.directory = new UserDirectory(store);
    this.board = new BoardSubscriptions(this.directory, publisher, (ids, sees) => this.boardContents(ids, sees));
    this.help = new HelpDesk(this.directory, publisher, (record) => void this.audit.recordNow(record), log);
    this.events = new FloorEvents(log);
    // A help request ends with the call it was raised on and when its supervisor on the way leaves (at the agent's logout: applyPhone).
    this.events.on('callEnded', ({ callId, at }) => this.help.callEnded(callId, at));
    this.events.on('sessionEnded', ({ session, reason, at }) => {
      if (supervisorLeft(reason)) this.help.supervisorLeft(session.supervisor.id, session.agentId, at);
    });
    this.queues = new QueueBoard(this.directory, publisher, (id) => this.phoneOf(id), now, options.queues ?? { queues: [], thresholdMs: 20_000 });
    this.events.on('phoneChanged', ({ phone }) => this.queues.observePhone(phone));
    this.registry = new SupervisionRegistry({ maxSupervisorsPerCall: options.maxSupervisorsPerCall });
    this.connections = new FloorConnections(options.disconnectGraceMs);
    this.takenOver = new TakenOverCalls(this.board, this.registry, now);
    this.recording = new RecordingControl(this, this.takenOver, publisher, this.events, audit, log, now);
    this.ends = new SessionEndLedger(store, audit, log, this.directory, (callId) => this.callDescription(callId));
  }

  async init(): Promise<void> {
    await this.directory.reload();
    this.openedAt = this.now();
    this.queues.rescope();
    this.ends.endLeftOpen(this.now());
  }

  close(): void {
    this.queues.close();
    this.connections.close();
  }

  /** The session that took this call over, if any. */
  takenOverCall(callId: string): TakenOverCall | undefined {
    return this.takenOver.get(callId);
  }

  // ── Phone state ──────────────────────────────────────────────────────────────────────────────────────

  /** An agent the floor has not seen yet has been logged out since the floor opened (not since this call). */
  phoneOf(userId: number): AgentPhoneState {
    return this.phones.phoneOf(userId);
  }

  allPhones(): AgentPhoneState[] {
    return this.phones.all();
  }

  /** Available agents, available longest first: what an ACD reads to offer the next call, without a scan. */
  availableLongestFirst(): IterableIterator<AgentPhoneState> {
    return this.phones.availableLongestFirst();
  }

  takenOverCallIds(): string[] {
    return this.takenOver.callIds();
  }

  /**
   * Applies a phone event (telephony, the agent's plugin, or a take-over) and publishes the result. A call
   * that ends ends every session on it with `call-ended`.
   */
  applyPhone(userId: number, event: PhoneEvent): AgentPhoneState {
    const before = this.phoneOf(userId);
    const after = applyPhoneEvent(before, event, this.now());
    const ended = before.call && !after.call && event.type !== 'takeOver' ? before.call.callId : null;
    if (ended !== null) this.deliver(this.registry.endAllForCall(ended, 'call-ended', this.now()));
    this.setPhone(after);
    if (ended !== null) this.events.emit('callEnded', { callId: ended, agentId: userId, at: this.now() });
    if (after.state === 'loggedOut' && before.state !== 'loggedOut') this.help.agentLoggedOut(userId, this.now());
    if (event.type === 'recording') this.events.emit('recordingChanged', { callId: after.call!.callId, agentId: userId, state: after.call!.recording, at: this.now() });
    logPhoneEvent(this.log, userId, event, after);
    return after;
  }

  /** A queue event from the telephony platform, for the queue view; published as `queueChanged`. */
  applyQueue(event: PlatformQueueEvent): void {
    this.queues.apply(event.type === 'waiting' ? { type: 'waiting', queue: event.queue, callId: event.callId, at: event.since } : event);
    this.events.emit('queueChanged', { event });
  }

  /** The customer hung up a taken-over call (or it ended otherwise). */
  endTakenOverCall(callId: string): void {
    const t = this.takenOver.get(callId);
    if (!t) return;
    this.deliver(this.registry.endAllForCall(callId, 'call-ended', this.now()));
    this.dropTakenOver(callId, t.agentId);
  }

  private setPhone(phone: AgentPhoneState): void {
    const withSessions = phone.call ? withSupervisions(phone, this.registry.summaries(phone.call.callId)) : phone;
    this.phones.put(withSessions);
    this.board.publishEntry(this.entryOf(phone.userId), this.now());
    this.publisher.toUser(phone.userId, 'agent:phone', { phone: this.asSeenByAgent(withSessions) });
    this.events.emit('phoneChanged', { userId: phone.userId, phone: withSessions });
  }

  /**
   * The agent's own phone as sent to them: who supervises their call is told only to an agent whose profile
   * holds Live Monitoring Notifications (docs/architecture.md "Notices"); the others get the call without it.
   */
  asSeenByAgent(phone: AgentPhoneState): AgentPhoneState {
    return ownPhoneAsSeen(phone, this.directory.rights(phone.userId));
  }

  entryOf(userId: number): BoardEntry {
    return { userId, displayName: this.directory.name(userId), teamIds: this.directory.teamIds(userId), phone: this.phoneOf(userId) };
  }

  // ── Board ────────────────────────────────────────────────────────────────────────────────────────────

  subscribeBoard(socketId: string, userId: number): BoardSnapshot {
    return this.board.subscribe(socketId, userId);
  }

  private boardContents(ids: number[], sees: (agentId: number) => boolean): Omit<BoardSnapshot, 'seq'> {
    const teamIds = new Set(ids.flatMap((id) => this.directory.teamIds(id)));
    return {
      entries: ids.map((id) => this.entryOf(id)),
      teams: [...teamIds].sort((a, b) => a - b).map((id) => ({ id, name: this.directory.teamName(id) ?? `Team ${id}` })),
      takenOver: this.takenOver.views().filter((t) => sees(t.agentId)),
      platform: this.options.platform,
      at: this.now(),
    };
  }

  // ── Supervision ──────────────────────────────────────────────────────────────────────────────────────

  /** A start checked as `planSupervision` checks it, writing nothing: the session id and call a start would have. */
  checkSupervision(actor: Actor, agentId: number, mode: SupervisionMode): { sessionId: string; callId: string } {
    const sessionId = `sup-${++this.sessionCounter}-${this.now().toString(36)}`;
    return { sessionId, callId: this.registry.checkStart({ sessionId, supervisor: { id: actor.id, name: actor.displayName }, mode }, this.phoneOf(agentId)) };
  }

  /** Whether a mode change would change anything; throws what it would refuse. Writes nothing. */
  checkModeChange(actor: Actor, sessionId: string, mode: SupervisionMode): boolean {
    return this.registry.checkModeChange(sessionId, mode, actor.id);
  }

  /** A start, checked now; `apply` starts it (the agent's notice first), as the view says. */
  planSupervision(actor: Actor, agentId: number, mode: SupervisionMode, sessionId?: string): PlannedChange<SupervisionSessionView> {
    const now = this.now();
    const request = { sessionId: sessionId ?? `sup-${++this.sessionCounter}-${now.toString(36)}`, supervisor: { id: actor.id, name: actor.displayName }, mode };
    const callId = this.registry.checkStart(request, this.phoneOf(agentId));
    // Kept in the action's transaction, with its audit record: a crash from here on is ended at the next start.
    this.store.supervisions.opened({ ...request, callId, agentId, startedAt: now, modeSince: now });
    return {
      result: this.viewOf({ ...request, callId, agentId, startedAt: now, modeSince: now }),
      apply: () => {
        this.deliver(this.registry.start(request, this.phoneOf(agentId), now));
        if (mode === 'takeOver') this.handOver(request.sessionId);
      },
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

  /** The platform took the call over for a session changed to take over: the agent leaves it. A session gone meanwhile: nothing. */
  completeTakeOver(sessionId: string): void {
    const s = this.registry.get(sessionId);
    if (s?.mode !== 'takeOver' || this.takenOver.has(s.callId)) return;
    this.handOver(sessionId);
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
      sessionId: s.sessionId, supervisorId: s.supervisor.id, supervisorName: s.supervisor.name, mode: s.mode, since: s.modeSince,
      callId: s.callId, agentId: s.agentId, agentName: this.directory.name(s.agentId), startedAt: s.startedAt,
    };
  }

  /** The agent leaves the call for wrap-up; the call lives on with the supervisor who took it over. */
  private handOver(sessionId: string): void {
    const s = this.registry.get(sessionId)!;
    const { agent, takenOver } = handOverCall(this.phoneOf(s.agentId), { sessionId, supervisorId: s.supervisor.id }, this.now());
    this.takenOver.put(takenOver);
    this.events.emit('callTakenOver', { callId: takenOver.call.callId, agentId: s.agentId, sessionId, at: this.now() });
    this.setPhone(agent);
    this.log.info('call taken over; the agent leaves it', { callId: takenOver.call.callId, sessionId, supervisorId: s.supervisor.id, agentId: s.agentId });
    this.takenOver.publish(s.agentId);
  }

  private dropTakenOver(callId: string, agentId: number): void {
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
  private deliver(events: readonly SupervisionEvent[], endRecorded: string | null = null): void {
    const touchedCalls = new Map<string, number>();
    for (const event of events) {
      const { session } = event;
      if (agentReceivesNotice('supervision', this.directory.rights(session.agentId))) {
        this.publisher.toUser(session.agentId, 'notice:supervision', supervisionNotice(event));
      }
      this.publishSession(event);
      if (event.phase === 'ended') {
        this.publisher.toUser(session.supervisor.id, 'supervise:ended', endedNotice(session, event.reason, event.at));
        // A stop's end was recorded with the stop (`planStop`).
        if (session.sessionId !== endRecorded) this.ends.record(session, event.reason);
        this.log.info(`supervision session ended: ${event.reason}`, { sessionId: session.sessionId, supervisorId: session.supervisor.id, agentId: session.agentId, callId: session.callId, mode: session.mode });
        if (endsTheCall(event)) this.dropTakenOver(session.callId, session.agentId);
      }
      touchedCalls.set(session.callId, session.agentId);
    }
    for (const [callId, agentId] of touchedCalls) {
      const phone = this.phones.seen(agentId);
      if (phone?.call?.callId === callId) this.setPhone(phone);
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

  // ── Calls ────────────────────────────────────────────────────────────────────────────────────────

  /** A live call as the audit log keeps it for people: queue, masked number, start; null once it has ended. */
  callDescription(callId: string): AuditCall | null {
    const holder = this.phones.holderOf(callId);
    const call = holder !== undefined ? this.phoneOf(holder).call : this.takenOver.get(callId)?.call;
    return call && call.callId === callId ? { queue: call.queue, number: call.remoteNumberMasked, startedAt: call.startedAt } : null;
  }

  /** The agent whose call this is (also for a taken-over call): the target of the recording rights. */
  agentOfCall(callId: string): number {
    const holder = this.phones.holderOf(callId);
    if (holder !== undefined) return holder;
    const t = this.takenOver.get(callId);
    if (t) return t.agentId;
    throw new ActionError('NOT_FOUND', `callId: no live call ${callId}`);
  }

  // ── Connections ──────────────────────────────────────────────────────────────────────────────────────

  socketOpened(userId: number, socketId: string): void {
    this.connections.opened(userId, socketId);
    this.connections.cancelGrace(`sup:${userId}`);
  }

  /** The agent's plugin attaches: it gets its phone and the sessions active on its call (resync). */
  attachAgent(userId: number, socketId: string): AgentResync {
    this.connections.agentAttached(userId, socketId);
    this.connections.cancelGrace(`agent:${userId}`);
    const notify = agentReceivesNotice('supervision', this.directory.rights(userId));
    // The sessions on the agent's calls: the one on the phone, and one taken over from them (they are told of it too).
    const active = this.registry.all().filter((s) => s.agentId === userId);
    return {
      phone: this.asSeenByAgent(this.phoneOf(userId)),
      supervisions: notify ? resyncSupervisionNotices(active) : [],
      notificationsEnabled: notify,
      help: this.help.openFor(userId),
      platform: this.options.platform,
    };
  }

  isAgentAttached(userId: number): boolean {
    return this.connections.isAgentAttached(userId);
  }

  attachedAgentIds(): number[] {
    return this.connections.attachedAgentIds();
  }

  /**
   * A socket closed. A supervisor with no socket left loses their sessions after the grace
   * (`supervisor-disconnected`); an agent whose plugin is gone is logged out after it (`agent-disconnected`).
   */
  socketClosed(userId: number, socketId: string): void {
    this.board.unsubscribe(socketId);
    this.queues.unsubscribe(socketId);
    const { wasAgent } = this.connections.closed(userId, socketId);
    if (!this.connections.hasSockets(userId) && (this.registry.ofSupervisor(userId).length > 0 || this.help.isOnTheWay(userId))) {
      this.connections.startGrace(`sup:${userId}`, () => {
        this.deliver(this.registry.endAllForSupervisor(userId, 'supervisor-disconnected', this.now()));
        this.help.supervisorLeft(userId, null, this.now());
      });
    }
    if (wasAgent && !this.connections.isAgentAttached(userId)) {
      this.connections.startGrace(`agent:${userId}`, () => this.agentGone(userId, 'agent-disconnected'));
    }
  }

  private agentGone(userId: number, reason: SessionEndReason): void {
    this.deliver(this.registry.endAllForAgent(userId, reason, this.now()));
    const phone = this.phoneOf(userId);
    try {
      if (phone.state === 'ringing' || isOnCall(phone)) this.applyPhone(userId, { type: 'hangUp' });
      if (this.phoneOf(userId).state !== 'loggedOut') this.applyPhone(userId, { type: 'logout' });
    } catch (e) {
      this.log.error(e, 'logging out a departed agent failed', { agentId: userId });
    }
    // Already logged out on the phone, the agent still leaves: a request raised meanwhile ends too.
    this.help.agentLoggedOut(userId, this.now());
  }

  // ── docs/permissions.md rule 7 ───────────────────────────────────────────────────────────────────────

  /**
   * After any change to profiles, users or teams: reload who is who, end every session that lost its
   * right (`rights-revoked`) or its scope (`out-of-scope`), and re-scope every board subscription.
   */
  async rightsChanged(): Promise<void> {
    await this.directory.reload();
    const now = this.now();
    this.deliver(
      this.registry.endRevoked((s) => {
        const actor = this.directory.actor(s.supervisor.id);
        if (!actor) return 'rights-revoked';
        const view = decideAccess(actor, 'phoneState.view', s.agentId);
        if (!view.allowed) return standingOf(view);
        return standingOf(decideAccess(actor, rightForMode(s.mode), s.agentId));
      }, now),
    );
    for (const userId of this.phones.userIds()) {
      if (!this.directory.has(userId)) {
        this.agentGone(userId, 'agent-disconnected');
        this.phones.remove(userId);
      }
    }
    this.board.rescope();
    this.queues.rescope();
  }
}
