import type { AgentPhoneState, AgentResync, AuditCall, BoardEntry, BoardSnapshot, HelpRequestView, SessionEndReason, TakenOverCallView } from '@earshot/shared';
import type { AuditLog } from '../audit/auditLog.js';
import { ActionError } from '../domain/actionError.js';
import { decideAccess } from '../domain/decideAccess.js';
import { supervisorLeft } from '../domain/helpRequest.js';
import { agentReceivesNotice, ownPhoneAsSeen, resyncSupervisionNotices } from '../domain/noticePolicy.js';
import { applyPhoneEvent, isOnCall, withSupervisions, type PhoneEvent } from '../domain/phoneState.js';
import { rightForMode, standingOf, SupervisionRegistry } from '../domain/supervision.js';
import type { TakenOverCall } from '../domain/takeOver.js';
import type { PlatformCapabilities, PlatformQueueEvent } from '../telephony/platform.js';
import { BoardSubscriptions } from './boardSubscriptions.js';
import { FloorEvents } from './floorEvents.js';
import type { FloorLogger, FloorPublisher } from './floorPublisher.js';
import { FloorConnections } from './floorConnections.js';
import { HelpDesk, type HelpLedger } from './helpDesk.js';
import { logPhoneEvent } from './phoneEventLog.js';
import { SessionEndLedger } from './sessionEndLedger.js';
import { MirroredPhones } from './mirroredPhones.js';
import { QueueBoard, queueEventOf, type QueueBoardOptions } from './queueBoard.js';
import { PhoneBook } from './phoneBook.js';
import { RecordingControl } from './recordingControl.js';
import { SupervisionDesk } from './supervisionDesk.js';
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
  /**
   * This node's name when several share the store (`config.cluster`): its open sessions are recorded under
   * it, and at start it ends only its own. Null: a node alone, whose store's open sessions are all its own.
   */
  nodeId?: string | null;
  /** Several nodes: where this node keeps its open help requests for the survivors of its death. */
  helpLedger?: HelpLedger | null;
}

/**
 * The live floor of this node: every agent's phone state, the supervision sessions on their calls, the
 * taken-over calls, board subscriptions and help requests. The rules are the pure domain's; this class
 * keeps the phones, connects its parts (supervision, recording, boards, queues, help) and ends what a
 * phone change, a departure or a change of rights ends (docs/permissions.md rule 7).
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
  /** The supervision sessions: `supervision.planSupervision(...)`, `supervision.session(id)`. */
  readonly supervision: SupervisionDesk;
  private readonly phones = new PhoneBook(() => this.openedAt);
  /** The phones other nodes own, for the boards and queue figures only (docs/decisions/floor-feed.md). */
  private readonly mirrored = new MirroredPhones();
  private readonly takenOver: TakenOverCalls;
  private readonly registry: SupervisionRegistry;
  private readonly connections: FloorConnections;
  private readonly ends: SessionEndLedger;
  private openedAt = 0;

  constructor(
    store: Store,
    private readonly publisher: FloorPublisher,
    private readonly audit: AuditLog,
    private readonly log: FloorLogger,
    private readonly now: () => number,
    private readonly options: LiveFloorOptions,
  ) {
    this.directory = new UserDirectory(store);
    this.board = new BoardSubscriptions(this.directory, publisher, (ids, sees) => this.boardContents(ids, sees));
    this.help = new HelpDesk(this.directory, publisher, (record) => void this.audit.recordNow(record), log, options.helpLedger ?? null);
    this.events = new FloorEvents(log);
    // A help request ends with the call it was raised on and when its supervisor on the way leaves (at the agent's logout: applyPhone).
    this.events.on('callEnded', ({ callId, at }) => this.help.callEnded(callId, at));
    this.events.on('sessionEnded', ({ session, reason, at }) => {
      if (supervisorLeft(reason)) this.help.supervisorLeft(session.supervisor.id, session.agentId, at);
    });
    this.queues = new QueueBoard(this.directory, publisher, (id) => this.boardPhoneOf(id), now, options.queues ?? { queues: [], thresholdMs: 20_000 });
    this.events.on('phoneChanged', ({ phone }) => this.queues.observePhone(phone));
    this.registry = new SupervisionRegistry({ maxSupervisorsPerCall: options.maxSupervisorsPerCall });
    this.connections = new FloorConnections(options.disconnectGraceMs);
    this.takenOver = new TakenOverCalls((agentId) => this.takenOverChanged(agentId), this.registry);
    this.recording = new RecordingControl(this, this.takenOver, publisher, this.events, audit, log, now);
    this.ends = new SessionEndLedger(store, audit, log, this.directory, (callId) => this.callDescription(callId));
    const phones = {
      phoneOf: (id: number) => this.phoneOf(id),
      seen: (id: number) => this.phones.seen(id),
      setPhone: (p: AgentPhoneState) => this.setPhone(p),
    };
    this.supervision = new SupervisionDesk(
      this.registry,
      phones,
      this.takenOver,
      this.ends,
      this.directory,
      store,
      publisher,
      this.events,
      log,
      now,
      options.nodeId ?? null,
    );
  }

  async init(): Promise<void> {
    await this.directory.reload();
    this.openedAt = this.now();
    this.queues.rescope();
    this.ends.endLeftOpen(this.now(), this.options.nodeId ?? null);
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
  applyPhone(userId: number, event: PhoneEvent, askedOn?: string): AgentPhoneState {
    const before = this.phoneOf(userId);
    const after = applyPhoneEvent(before, event, this.now());
    const ended = before.call && !after.call && event.type !== 'takeOver' ? before.call.callId : null;
    if (ended !== null) this.supervision.deliver(this.registry.endAllForCall(ended, 'call-ended', this.now()));
    this.setPhone(after, askedOn);
    if (ended !== null) this.events.emit('callEnded', { callId: ended, agentId: userId, at: this.now() });
    if (after.state === 'loggedOut' && before.state !== 'loggedOut') this.help.agentLoggedOut(userId, this.now());
    if (event.type === 'recording')
      this.events.emit('recordingChanged', { callId: after.call!.callId, agentId: userId, state: after.call!.recording, at: this.now() });
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
    this.supervision.deliver(this.registry.endAllForCall(callId, 'call-ended', this.now()));
    this.supervision.dropTakenOver(callId, t.agentId);
  }

  /** `askedOn`: the socket of the agent's request that made the change, whose answer carries the phone. */
  private setPhone(phone: AgentPhoneState, askedOn?: string): void {
    const withSessions = phone.call ? withSupervisions(phone, this.registry.summaries(phone.call.callId)) : phone;
    this.phones.put(withSessions);
    this.board.publishEntry(this.entryOf(phone.userId), this.now());
    // The agent's other sockets (another desktop) are told; the asking one reads its answer (one frame less a change).
    this.publisher.toUser(phone.userId, 'agent:phone', { phone: this.asSeenByAgent(withSessions) }, askedOn);
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
    return { userId, displayName: this.directory.name(userId), teamIds: this.directory.teamIds(userId), phone: this.boardPhoneOf(userId) };
  }

  /** The phone the boards show: this node's own if it holds the agent, else the one mirrored from the agent's owner. */
  boardPhoneOf(userId: number): AgentPhoneState {
    return this.phones.seen(userId) ?? this.mirrored.phoneOf(userId) ?? this.phones.phoneOf(userId);
  }

  /** The calls taken over on this node, as the boards show them. */
  ownTakenOver(): TakenOverCallView[] {
    return this.takenOver.views();
  }

  /**
   * The agent was re-homed to another node: this node no longer holds their phone, and its boards show the
   * one mirrored from the new owner (nothing is ended here: the new owner took the sessions over).
   */
  forgetPhone(userId: number): void {
    this.phones.remove(userId);
    this.showMirrored(userId);
  }

  private takenOverChanged(agentId: number): void {
    this.board.publishTakenOver(this.allTakenOver(), agentId, this.now());
    this.events.emit('takenOverChanged', { agentId, calls: this.takenOver.views() });
  }

  private allTakenOver(): TakenOverCallView[] {
    return [...this.takenOver.views(), ...this.mirrored.takenOver()];
  }

  // ── What other nodes own (docs/decisions/floor-feed.md) ─────────────────────────────────────────────
  // Shown on this node's boards and counted in its queue figures; never acted on: no telephony, media,
  // notices, floor events or session ends come from a mirrored phone.

  /** An agent's phone as its owner node published it. */
  mirrorPhone(owner: string, phone: AgentPhoneState): void {
    this.mirrored.put(owner, phone);
    this.showMirrored(phone.userId);
  }

  /** The owner node let the agent go (it was re-homed). */
  unmirrorPhone(owner: string, userId: number): void {
    this.mirrored.remove(owner, userId);
    this.showMirrored(userId);
  }

  /** The calls taken over on another node, as it now holds them, after one of `agentId`'s changed. */
  mirrorTakenOver(owner: string, agentId: number, calls: readonly TakenOverCallView[]): void {
    this.mirrored.setTakenOver(owner, calls);
    this.board.publishTakenOver(this.allTakenOver(), agentId, this.now());
  }

  /** A queue event another node's telephony reported, for this node's queue figures. */
  mirrorQueue(event: PlatformQueueEvent): void {
    this.queues.apply(queueEventOf(event));
  }

  /**
   * Everything of one owner replaced by its snapshot (a gap in its feed, or its restart): the boards that
   * see any agent concerned are pushed `board:snapshot` rather than deltas.
   */
  replaceMirror(owner: string, phones: readonly AgentPhoneState[], takenOver: readonly TakenOverCallView[]): void {
    this.resnapshot(this.mirrored.replace(owner, phones, takenOver));
  }

  /** An owner node is gone: what it held is no longer shown. */
  dropMirror(owner: string): void {
    this.resnapshot(this.mirrored.drop(owner));
  }

  /** The node whose phone of this agent the boards show; undefined when it is this node's own or nobody's. */
  mirroredOwnerOf(userId: number): string | undefined {
    return this.phones.seen(userId) ? undefined : this.mirrored.ownerOf(userId);
  }

  private showMirrored(userId: number): void {
    if (this.phones.seen(userId)) return;
    this.board.publishEntry(this.entryOf(userId), this.now());
    this.queues.observePhone(this.boardPhoneOf(userId));
  }

  private resnapshot(agentIds: Set<number>): void {
    for (const id of agentIds) if (!this.phones.seen(id)) this.queues.observePhone(this.boardPhoneOf(id));
    this.board.pushSnapshots(agentIds);
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
      takenOver: this.allTakenOver().filter((t) => sees(t.agentId)),
      platform: this.options.platform,
      at: this.now(),
    };
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
        this.supervision.deliver(this.registry.endAllForSupervisor(userId, 'supervisor-disconnected', this.now()));
        this.help.supervisorLeft(userId, null, this.now());
      });
    }
    if (wasAgent && !this.connections.isAgentAttached(userId)) {
      this.connections.startGrace(`agent:${userId}`, () => this.agentGone(userId, 'agent-disconnected'));
    }
  }

  /**
   * Several nodes: this node no longer holds the agent's lease (it was cut off from the others long enough
   * for another node to take the agent): the agent's sessions here end with `node-failed`, as the other
   * nodes end those of a node they lost. Its phone is released after it (`FloorFeed.releaseAgent`).
   */
  agentMovedAway(userId: number): void {
    this.supervision.deliver(this.registry.endAllForAgent(userId, 'node-failed', this.now()));
  }

  /**
   * Several nodes: the sessions a dead node held, ended here (this node claimed the dead one): recorded, and
   * their end notices kept for their users. Answers those users, so that every node delivers to those it has.
   */
  endFailedNodeSessions(nodeId: string): number[] {
    return this.ends.endOfFailedNode(nodeId, this.now());
  }

  /** Several nodes: the nodes whose supervision sessions are open in the shared store. */
  nodesWithOpenSessions(): string[] {
    return this.ends.nodesWithOpenSessions();
  }

  /** The open help requests a dead node (or this one, before a restart) left in its ledger: ended `node-failed`. */
  endLostHelp(requests: readonly HelpRequestView[]): void {
    this.help.endLost(requests, this.now());
  }

  private agentGone(userId: number, reason: SessionEndReason): void {
    this.supervision.deliver(this.registry.endAllForAgent(userId, reason, this.now()));
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
    this.supervision.deliver(
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
