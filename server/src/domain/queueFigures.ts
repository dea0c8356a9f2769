import type { AgentsByState, PhoneStateName, QueueFigures, ServiceLevel } from '@earshot/shared';
import { PHONE_STATE_NAMES } from '@earshot/shared';

/**
 * What happens to a caller in a queue, as the telephony platform reports it. A caller waits from
 * `waiting` until an agent answers (`answered`: the wait counts to here, ringing included) or until they
 * give up (`abandoned`: in the queue, or while an agent's phone rang). `ended`: the answering agent's part
 * of the call is over (hang-up, or a supervisor took the call over), which closes its handle time.
 */
export type QueueEvent =
  | { type: 'waiting'; queue: string; callId: string; at: number }
  | { type: 'answered'; queue: string; callId: string; at: number }
  | { type: 'abandoned'; queue: string; callId: string; at: number }
  | { type: 'ended'; queue: string; callId: string; at: number };

/** The industry's common default: 80 % of calls answered within 20 seconds. */
export const DEFAULT_SERVICE_LEVEL_THRESHOLD_MS = 20_000;
/** The short service-level window a supervisor steers by. */
export const RECENT_WINDOW_MS = 30 * 60_000;

export interface QueueLedgerOptions {
  thresholdMs: number;
  /** The start of the day `at` falls in (midnight, server time): the "today" figures restart there. */
  dayStartOf: (at: number) => number;
}

/** Midnight of the server's own time zone. A calendar conversion, not a clock: `at` comes from the caller. */
export function localMidnight(at: number): number {
  const d = new Date(at);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

interface Outcome {
  callId: string;
  at: number;
  answered: boolean;
  withinThreshold: boolean;
}

interface Tally {
  answered: number;
  answeredWithinThreshold: number;
  abandoned: number;
}

const emptyTally = (): Tally => ({ answered: 0, answeredWithinThreshold: 0, abandoned: 0 });

function serviceLevel(t: Tally): ServiceLevel {
  const finished = t.answered + t.abandoned;
  return { ...t, share: finished === 0 ? null : t.answeredWithinThreshold / finished };
}

export function noAgents(): AgentsByState {
  return Object.fromEntries(PHONE_STATE_NAMES.map((s) => [s, 0])) as AgentsByState;
}

/** Counts phone states: a queue's agents by state. */
export function countAgentsByState(states: Iterable<PhoneStateName>): AgentsByState {
  const counts = noAgents();
  for (const s of states) counts[s] += 1;
  return counts;
}

/**
 * One queue's figures, kept from its events. Every figure is exact for the `now` it is asked at: the
 * longest wait, the last 30 minutes (outcomes older than that drop out), and today (restarting at midnight).
 * Outcomes are counted when the caller stops waiting, in the period the wait ended in. Each event is
 * O(1); the 30-minute window is a queue in time order, trimmed from its front.
 */
export class QueueLedger {
  /** call id → when the caller started waiting; in arrival order, so the first is the longest waiting. */
  private readonly waiting = new Map<string, number>();
  /** call id → when it was answered, until its handle time closes. */
  private readonly inProgress = new Map<string, number>();
  private recent: Outcome[] = [];
  /**
   * The calls of the outcomes in the window: a second report of the same answer or abandon (the platform's
   * and the agent's phone both tell of it) is ignored, so each caller counts once.
   */
  private readonly finished = new Set<string>();
  private recentStart = 0;
  private day = Number.NEGATIVE_INFINITY;
  private today = emptyTally();
  private handled = 0;
  private handleMsTotal = 0;

  constructor(
    readonly queue: string,
    private readonly options: QueueLedgerOptions,
  ) {}

  apply(event: QueueEvent): void {
    this.rollDay(event.at);
    switch (event.type) {
      case 'waiting':
        if (!this.waiting.has(event.callId)) this.waiting.set(event.callId, event.at);
        return;
      case 'answered': {
        if (this.finished.has(event.callId)) return;
        // A call the platform offered without telling us it waited (a direct call) waited no time.
        const arrivedAt = this.waiting.get(event.callId) ?? event.at;
        this.waiting.delete(event.callId);
        const within = event.at - arrivedAt <= this.options.thresholdMs;
        this.outcome({ callId: event.callId, at: event.at, answered: true, withinThreshold: within });
        this.inProgress.set(event.callId, event.at);
        return;
      }
      case 'abandoned':
        if (this.finished.has(event.callId)) return;
        this.waiting.delete(event.callId);
        this.outcome({ callId: event.callId, at: event.at, answered: false, withinThreshold: false });
        return;
      case 'ended': {
        const answeredAt = this.inProgress.get(event.callId);
        if (answeredAt === undefined) return;
        this.inProgress.delete(event.callId);
        this.handled += 1;
        this.handleMsTotal += Math.max(0, event.at - answeredAt);
        return;
      }
    }
  }

  /** The queue at `now`; `agents` are its agents by state, as the floor counts them. */
  figures(now: number, agents: AgentsByState = noAgents()): QueueFigures {
    this.rollDay(now);
    const oldest = this.oldestWaitingSince();
    const longestWaitMs = oldest === null ? 0 : Math.max(0, now - oldest);
    const recent = emptyTally();
    for (let i = this.firstRecent(now); i < this.recent.length; i++) count(recent, this.recent[i]!);
    return {
      queue: this.queue,
      waiting: this.waiting.size,
      oldestWaitingSince: oldest,
      longestWaitMs,
      thresholdMs: this.options.thresholdMs,
      overThreshold: longestWaitMs > this.options.thresholdMs,
      lastThirtyMinutes: serviceLevel(recent),
      today: serviceLevel(this.today),
      averageHandleMs: this.handled === 0 ? null : Math.round(this.handleMsTotal / this.handled),
      agents,
      at: now,
    };
  }

  /**
   * The next moment the figures change with no event: the longest wait crosses the threshold, or an outcome
   * leaves the 30-minute window, or the day turns. Null when nothing is due.
   */
  nextChangeAfter(now: number): number | null {
    const due: number[] = [];
    const oldest = this.oldestWaitingSince();
    if (oldest !== null && now - oldest <= this.options.thresholdMs) due.push(oldest + this.options.thresholdMs + 1);
    const first = this.firstRecent(now);
    if (first < this.recent.length) due.push(this.recent[first]!.at + RECENT_WINDOW_MS);
    if (this.handled > 0 || this.today.answered > 0 || this.today.abandoned > 0) due.push(this.options.dayStartOf(now) + 86_400_000);
    return due.length === 0 ? null : Math.min(...due);
  }

  private oldestWaitingSince(): number | null {
    let oldest: number | null = null;
    // Arrival order is time order for a platform that reports as things happen; min() keeps it exact otherwise.
    for (const at of this.waiting.values()) if (oldest === null || at < oldest) oldest = at;
    return oldest;
  }

  private outcome(o: Outcome): void {
    if (this.options.dayStartOf(o.at) === this.day) count(this.today, o);
    this.recent.push(o);
    this.finished.add(o.callId);
  }

  /** Index of the first outcome inside the last 30 minutes at `now`; older ones are dropped once they pile up. */
  private firstRecent(now: number): number {
    const from = now - RECENT_WINDOW_MS;
    while (this.recentStart < this.recent.length && this.recent[this.recentStart]!.at <= from) {
      this.finished.delete(this.recent[this.recentStart]!.callId);
      this.recentStart++;
    }
    if (this.recentStart > 1024 && this.recentStart * 2 > this.recent.length) {
      this.recent = this.recent.slice(this.recentStart);
      this.recentStart = 0;
    }
    return this.recentStart;
  }

  private rollDay(at: number): void {
    const day = this.options.dayStartOf(at);
    if (day <= this.day) return;
    this.day = day;
    this.today = emptyTally();
    this.handled = 0;
    this.handleMsTotal = 0;
  }
}

function count(t: Tally, o: Outcome): void {
  if (o.answered) {
    t.answered += 1;
    if (o.withinThreshold) t.answeredWithinThreshold += 1;
  } else {
    t.abandoned += 1;
  }
}
