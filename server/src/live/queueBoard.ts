import type { AgentPhoneState, AgentsByState, PhoneStateName, QueueFigures, QueuesSnapshot } from '@earshot/shared';
import { countAgentsByState, localMidnight, QueueLedger, type QueueEvent } from '../domain/queueFigures.js';
import { queuesVisibleTo, teamTakesQueue } from '../domain/queueVisibility.js';
import type { FloorPublisher } from './floorPublisher.js';
import type { UserDirectory } from './userDirectory.js';
import type { PlatformQueueEvent } from '../telephony/platform.js';

export interface QueueBoardOptions {
  /** The queues the telephony serves; a queue first named by an event joins them. */
  queues: readonly string[];
  /** The service-level threshold: a caller answered within it was answered in time. */
  thresholdMs: number;
  /** Default: midnight of the server's time zone. */
  dayStartOf?: (at: number) => number;
}

/** How often figures that change with time alone (a wait crossing the threshold, the 30-minute window) are looked at. */
const TIME_CHECK_MS = 500;

interface CallOnPhone {
  callId: string;
  queue: string;
  answered: boolean;
}

/**
 * The queues of the floor, live: one ledger per queue fed by the platform's queue events and by the agents'
 * phones (an answer, a caller who hangs up while it rings, the end of an answered call), the agents of each
 * queue by state, and the subscriptions. A subscriber reads the queues it may see (`queuesVisibleTo`) in one
 * room per queue; each change is pushed once per queue as `queues:update`, coalesced over a turn of the event
 * loop, and only when a figure a client shows has changed (the longest wait ticks on the client).
 */
export class QueueBoard {
  private readonly ledgers = new Map<string, QueueLedger>();
  /** queue → the agents of the teams named like it */
  private members = new Map<string, Set<number>>();
  /** agent → the queues they take */
  private queuesOf = new Map<number, string[]>();
  private counts = new Map<string, AgentsByState>();
  /** agent → the state they are counted in */
  private counted = new Map<number, PhoneStateName>();
  /** agent → the queue call on their phone, as last seen */
  private calls = new Map<number, CallOnPhone>();
  private readonly subs = new Map<string, { userId: number; queues: ReadonlySet<string> }>();
  private readonly watchers = new Map<string, Set<string>>();
  private readonly dirty = new Set<string>();
  private readonly lastPushed = new Map<string, string>();
  private flushPending = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly dayStartOf: (at: number) => number;

  constructor(
    private readonly directory: UserDirectory,
    private readonly publisher: FloorPublisher,
    private readonly phoneOf: (userId: number) => AgentPhoneState,
    private readonly now: () => number,
    private readonly options: QueueBoardOptions,
  ) {
    this.dayStartOf = options.dayStartOf ?? localMidnight;
    for (const q of options.queues) this.ledgerOf(q);
  }

  names(): string[] {
    return [...this.ledgers.keys()];
  }

  /** A platform's queue event. */
  apply(event: QueueEvent): void {
    const isNew = !this.ledgers.has(event.queue);
    this.ledgerOf(event.queue).apply(event);
    this.touch(event.queue);
    if (isNew) this.rescope();
  }

  /**
   * An agent's phone changed. Answers and ends are read off the phone, so that they carry the floor's exact
   * time whoever did them (a simulated agent, a real one in the desktop agent, a supervisor taking over).
   */
  observePhone(phone: AgentPhoneState): void {
    const at = this.now();
    const before = this.calls.get(phone.userId);
    const call = phone.call;
    if (before && before.callId !== call?.callId) {
      this.calls.delete(phone.userId);
      // Off the phone before anyone answered: the caller hung up while it rang.
      this.apply({ type: before.answered ? 'ended' : 'abandoned', queue: before.queue, callId: before.callId, at });
    }
    if (call) {
      const answered = phone.state === 'talking' || phone.state === 'held';
      const known = this.calls.get(phone.userId);
      const newlyAnswered = answered && !known?.answered;
      if (!known) this.calls.set(phone.userId, { callId: call.callId, queue: call.queue, answered });
      else if (newlyAnswered) known.answered = true;
      if (newlyAnswered) this.apply({ type: 'answered', queue: call.queue, callId: call.callId, at });
    }
    this.count(phone.userId, phone.state);
  }

  /** The queues `userId` may see now. */
  visibleTo(userId: number): string[] {
    const actor = this.directory.actor(userId);
    if (!actor) return [];
    return queuesVisibleTo(actor, this.directory.supervisedTeamNames(userId), this.names());
  }

  subscribe(socketId: string, userId: number): QueuesSnapshot {
    this.unsubscribe(socketId);
    const queues = new Set(this.visibleTo(userId));
    this.subs.set(socketId, { userId, queues });
    for (const q of queues) this.join(socketId, q);
    this.startTimer();
    return this.snapshotOf(queues);
  }

  unsubscribe(socketId: string): void {
    const sub = this.subs.get(socketId);
    if (!sub) return;
    this.subs.delete(socketId);
    for (const q of sub.queues) this.leave(socketId, q);
  }

  isSubscribed(socketId: string): boolean {
    return this.subs.has(socketId);
  }

  /**
   * docs/permissions.md rule 7: after a change to profiles, users or teams, each queue's agents are counted again and every
   * subscription sees the queues its scope now reaches, pushed whole (`queues:snapshot`).
   */
  rescope(): void {
    this.recountMembers();
    for (const [socketId, sub] of this.subs) {
      const queues = new Set(this.visibleTo(sub.userId));
      for (const q of sub.queues) if (!queues.has(q)) this.leave(socketId, q);
      for (const q of queues) if (!sub.queues.has(q)) this.join(socketId, q);
      sub.queues = queues;
      this.publisher.toLocalRoom(socketId, 'queues:snapshot', this.snapshotOf(queues));
    }
  }

  /** Looks at every watched queue now (the time check does this on its own; tests call it to be exact). */
  refresh(): void {
    for (const q of this.watchers.keys()) this.dirty.add(q);
    this.flush();
  }

  figures(queue: string): QueueFigures | undefined {
    return this.ledgers.get(queue)?.figures(this.now(), this.agentsOf(queue));
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private snapshotOf(queues: ReadonlySet<string>): QueuesSnapshot {
    const at = this.now();
    return { queues: [...queues].sort().map((q) => this.ledgers.get(q)!.figures(at, this.agentsOf(q))), at };
  }

  private ledgerOf(queue: string): QueueLedger {
    let l = this.ledgers.get(queue);
    if (!l) this.ledgers.set(queue, (l = new QueueLedger(queue, { thresholdMs: this.options.thresholdMs, dayStartOf: this.dayStartOf })));
    return l;
  }

  private agentsOf(queue: string): AgentsByState {
    return { ...(this.counts.get(queue) ?? countAgentsByState([])) };
  }

  private recountMembers(): void {
    const agents = new Set(this.directory.agentIds());
    this.members = new Map(this.names().map((q) => [q, new Set<number>()]));
    for (const team of this.directory.allTeams()) {
      for (const q of this.names()) {
        if (!teamTakesQueue(team.name, q)) continue;
        for (const id of team.memberIds) if (agents.has(id)) this.members.get(q)!.add(id);
      }
    }
    this.queuesOf = new Map();
    this.counted = new Map();
    this.counts = new Map();
    for (const [q, ids] of this.members) {
      const states: PhoneStateName[] = [];
      for (const id of ids) {
        const state = this.phoneOf(id).state;
        states.push(state);
        this.counted.set(id, state);
        const list = this.queuesOf.get(id);
        if (list) list.push(q);
        else this.queuesOf.set(id, [q]);
      }
      this.counts.set(q, countAgentsByState(states));
      this.touch(q);
    }
  }

  private count(userId: number, state: PhoneStateName): void {
    const before = this.counted.get(userId);
    if (before === undefined || before === state) return;
    this.counted.set(userId, state);
    for (const q of this.queuesOf.get(userId) ?? []) {
      const c = this.counts.get(q)!;
      c[before] -= 1;
      c[state] += 1;
      this.touch(q);
    }
  }

  private join(socketId: string, queue: string): void {
    let set = this.watchers.get(queue);
    if (!set) this.watchers.set(queue, (set = new Set()));
    set.add(socketId);
    this.publisher.join(socketId, roomOf(queue));
  }

  private leave(socketId: string, queue: string): void {
    const set = this.watchers.get(queue);
    set?.delete(socketId);
    if (set?.size === 0) this.watchers.delete(queue);
    this.publisher.leave(socketId, roomOf(queue));
  }

  private touch(queue: string): void {
    if (!this.watchers.has(queue)) return;
    this.dirty.add(queue);
    if (this.flushPending) return;
    this.flushPending = true;
    // One push per queue for everything a turn of the event loop changed (a simulator tick's many events).
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushPending = false;
    const at = this.now();
    for (const q of this.dirty) {
      if (!this.watchers.has(q)) continue;
      const figures = this.ledgers.get(q)!.figures(at, this.agentsOf(q));
      const key = shownKey(figures);
      if (this.lastPushed.get(q) === key) continue;
      this.lastPushed.set(q, key);
      this.publisher.toLocalRoom(roomOf(q), 'queues:update', { figures });
    }
    this.dirty.clear();
  }

  private startTimer(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.refresh(), TIME_CHECK_MS);
    this.timer.unref();
  }
}

function roomOf(queue: string): string {
  return `queue:${queue}`;
}

/** Everything a client shows but the ticking wait, which it counts itself from `oldestWaitingSince`. */
function shownKey(f: QueueFigures): string {
  const { at: _at, longestWaitMs: _wait, ...shown } = f;
  return JSON.stringify(shown);
}

/** A telephony platform's queue event in the ledger's terms (a wait is dated by when it began). */
export function queueEventOf(e: PlatformQueueEvent): QueueEvent {
  return e.type === 'waiting'
    ? { type: 'waiting', queue: e.queue, callId: e.callId, at: e.since }
    : { type: e.type, queue: e.queue, callId: e.callId, at: e.at };
}
