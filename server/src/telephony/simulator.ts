import type { AgentPhoneState } from '@earshot/shared';
import { applyPhoneEvent, loggedOutState, type PhoneEvent } from '../domain/phoneState.js';
import type { QueueEvent } from '../domain/queueFigures.js';

/**
 * The embedded telephony simulator's core (docs/architecture.md "Layout": "the simulator (embedded default)").
 * Pure and deterministic: no timers, no clock, no Math.random. The driver calls `tick(now, floor)` with
 * the floor's current phone states, applies the actions it returns in order, and calls again later; the
 * same seed, tick times and floor give the same actions.
 *
 * It drives its simulated agents entirely (login, ready, answer after a short ring, hold now and then,
 * hang up after the handle time, wrap-up, ready again). To real agents it only offers calls: they answer,
 * hold and hang up themselves, and the simulated customer hangs up after the handle time.
 */
export interface SimulatorConfig {
  /** How many agents the simulator may drive (`drive`). */
  agents: number;
  /** Poisson arrivals, over all queues. */
  arrivalPerMinute: number;
  /** Mean of the exponential talk time, from answer to hang-up. */
  meanHandleSeconds: number;
  queues: readonly string[];
  /** A simulated agent answers after 0.5 to 1.5 times this. Default 3. */
  ringSeconds?: number;
  /** A simulated agent's wrap-up. Default 10. */
  wrapUpSeconds?: number;
  /** Share of calls with one hold. Default 0.2. */
  holdProbability?: number;
  /** Mean of the exponential hold time. Default 15. */
  meanHoldSeconds?: number;
  /** The customer gives up on an offer a real agent leaves ringing. Default 20. */
  realAgentRingSeconds?: number;
  /** The customer gives up waiting in queue for an available agent. Default 120. */
  maxQueueWaitSeconds?: number;
  /** Offer calls to available real (not simulated) agents too. Default true. */
  offerToRealAgents?: boolean;
  /** Share of calls a recording profile records from the start. Default 0. */
  recordedShare?: number;
  /** Call ids are `<prefix>-<n>`; give a per-run prefix when ids must stay unique across restarts. Default `sim`. */
  callIdPrefix?: string;
}

/**
 * What the floor looks like now, as the driver knows it. Lookups, not a copy: a floor of 10,000 agents
 * is read only where a tick needs it (the agents it drives, the calls it placed, the longest available).
 */
export interface FloorView {
  /** The phone of a simulated agent, or of a real one that may be offered calls; undefined for anyone else. */
  phoneOf(userId: number): AgentPhoneState | undefined;
  /** The agents that may be offered a call, available longest first (`since`, then user id). */
  availableLongestFirst(): Iterable<AgentPhoneState>;
  /** Calls a supervisor has taken over: the agent has left them, the customer is still on. */
  takenOverCallIds: ReadonlySet<string>;
}

/** A view over a list of phones (every one of them may be offered calls): for tests and one-off use. */
export function floorViewOf(phones: readonly AgentPhoneState[], takenOverCallIds: Iterable<string> = []): FloorView {
  const byId = new Map(phones.map((p) => [p.userId, p]));
  return {
    phoneOf: (userId) => byId.get(userId),
    availableLongestFirst: () => phones.filter((p) => p.state === 'available').sort(longestFirst),
    takenOverCallIds: new Set(takenOverCallIds),
  };
}

const longestFirst = (a: AgentPhoneState, b: AgentPhoneState) => a.since - b.since || a.userId - b.userId;

export type SimulatorAction =
  | { type: 'phone'; userId: number; event: PhoneEvent }
  /** The customer hangs up a taken-over call: the driver ends it (and its supervision sessions). */
  /** (Its agent was `userId`.) */
  | { type: 'endTakenOverCall'; callId: string; userId: number };

export interface SimulatorStats {
  offered: number;
  /** Callers who gave up in queue before any agent was available. */
  abandonedInQueue: number;
  waiting: number;
}

interface CallPlan {
  callId: string;
  userId: number;
  simulated: boolean;
  offeredAt: number;
  ringMs: number;
  talkMs: number;
  hold: { afterMs: number; forMs: number } | null;
  answeredAt: number | null;
  holdDone: boolean;
}

interface WaitingCall {
  /** Given on arrival, so that the queue's events and the agent's call name the same call. */
  callId: string;
  arrivedAt: number;
  queue: string;
  toUserId: number | null;
}

/** Steps one agent may take in one tick: login, ready; or answer; bounded all the same. */
const MAX_STEPS_PER_TICK = 4;

export class TelephonySimulator {
  private readonly drivenIds = new Set<number>();
  /** The driven agents in id order, kept with `drivenIds` (a tick steps them in this order). */
  private drivenInOrder: number[] = [];
  private readonly plans = new Map<string, CallPlan>();
  private waiting: WaitingCall[] = [];
  private nextArrivalAt: number | null = null;
  private callCount = 0;
  private arrivalCount = 0;
  /** What callers did in the queues since the last `takeQueueEvents` (arrived, gave up). */
  private queueEvents: QueueEvent[] = [];
  private abandonedInQueue = 0;
  private readonly options: Required<SimulatorConfig>;

  constructor(
    config: SimulatorConfig,
    private readonly random: () => number,
  ) {
    if (config.queues.length === 0) throw new Error('The simulator needs at least one queue');
    this.options = {
      ringSeconds: 3,
      wrapUpSeconds: 10,
      holdProbability: 0.2,
      meanHoldSeconds: 15,
      realAgentRingSeconds: 20,
      maxQueueWaitSeconds: 120,
      offerToRealAgents: true,
      recordedShare: 0,
      callIdPrefix: 'sim',
      ...config,
    };
  }

  /** Hand the simulator a user to drive; false once it drives `agents` of them. */
  drive(userId: number): boolean {
    if (this.drivenIds.has(userId)) return true;
    if (this.drivenIds.size >= this.options.agents) return false;
    this.drivenIds.add(userId);
    this.drivenInOrder = [...this.drivenIds].sort((a, b) => a - b);
    return true;
  }

  drives(userId: number): boolean {
    return this.drivenIds.has(userId);
  }

  drivenAgents(): number[] {
    return [...this.drivenInOrder];
  }

  /** A call arrives now, for a given user (offered only to them, when available) or for the first free agent. */
  placeCall(now: number, options: { toUserId?: number; queue?: string } = {}): void {
    this.enqueue(now, options.queue ?? this.options.queues[0]!, options.toUserId ?? null);
  }

  /**
   * The queue events since the last call, in order: callers who started waiting and callers who gave up in
   * the queue. Answers, and callers who hang up while an agent's phone rings, show on the agents' phones.
   */
  takeQueueEvents(): QueueEvent[] {
    const events = this.queueEvents;
    this.queueEvents = [];
    return events;
  }

  private enqueue(arrivedAt: number, queue: string, toUserId: number | null): void {
    const callId = `${this.options.callIdPrefix}-${++this.arrivalCount}`;
    this.waiting.push({ callId, arrivedAt, queue, toUserId });
    this.queueEvents.push({ type: 'waiting', queue, callId, at: arrivedAt });
  }

  /** The agent a call placed by the simulator is with, while it lasts. */
  agentOf(callId: string): number | undefined {
    return this.plans.get(callId)?.userId;
  }

  stats(): SimulatorStats {
    return { offered: this.callCount, abandonedInQueue: this.abandonedInQueue, waiting: this.waiting.length };
  }

  /** The actions due at `now`, in the order they must be applied. Apply them all before the next tick. */
  tick(now: number, floor: FloorView): SimulatorAction[] {
    const actions: SimulatorAction[] = [];
    // Every action is applied to this projection at once, so the steps after it see the floor it leaves.
    const changed = new Map<number, AgentPhoneState>();
    const phoneOf = (userId: number) => changed.get(userId) ?? floor.phoneOf(userId) ?? loggedOutState(userId, now);
    const emit = (userId: number, event: PhoneEvent) => {
      changed.set(userId, applyPhoneEvent(phoneOf(userId), event, now));
      actions.push({ type: 'phone', userId, event });
    };
    const takenOver = floor.takenOverCallIds;

    this.forgetEndedCalls(floor, takenOver);
    for (const userId of this.drivenInOrder) {
      for (let step = 0; step < MAX_STEPS_PER_TICK && this.stepSimulatedAgent(phoneOf(userId), now, emit); step++);
    }
    for (const plan of [...this.plans.values()]) this.stepCustomer(plan, phoneOf(plan.userId), takenOver, now, emit, actions);
    this.arrive(now);
    this.distribute(now, floor, changed, phoneOf, emit);
    return actions;
  }

  /** A call the floor no longer shows anywhere has ended (the agent hung up, or the offer never landed). */
  private forgetEndedCalls(floor: FloorView, takenOver: ReadonlySet<string>): void {
    // A Map's entries may be deleted while it is iterated: no copy of every plan on every tick.
    for (const plan of this.plans.values()) {
      if (floor.phoneOf(plan.userId)?.call?.callId !== plan.callId && !takenOver.has(plan.callId)) this.plans.delete(plan.callId);
    }
  }

  /** One step of a simulated agent; false when there is nothing to do yet. */
  private stepSimulatedAgent(phone: AgentPhoneState, now: number, emit: (userId: number, event: PhoneEvent) => void): boolean {
    const act = (event: PhoneEvent) => {
      emit(phone.userId, event);
      return true;
    };
    const plan = phone.call ? this.plans.get(phone.call.callId) : undefined;
    switch (phone.state) {
      case 'loggedOut':
        return act({ type: 'login' });
      case 'notReady':
        return act({ type: 'setAvailable' });
      case 'available':
        return false;
      case 'wrapUp':
        return now >= phone.since + this.options.wrapUpSeconds * 1000 && act({ type: 'endWrapUp' });
      case 'ringing':
      case 'talking':
      case 'held':
        break;
    }
    // A call the simulator did not place (or forgot over a restart): clear it rather than hold it forever.
    if (!plan || !phone.call) return act({ type: 'hangUp' });
    if (phone.state === 'ringing') {
      if (now < plan.offeredAt + plan.ringMs) return false;
      plan.answeredAt = now;
      return act({ type: 'answer' });
    }
    const answeredAt = plan.answeredAt ?? now;
    if (now >= answeredAt + plan.talkMs) {
      this.plans.delete(plan.callId);
      return act({ type: 'hangUp' });
    }
    if (phone.state === 'talking' && plan.hold && !plan.holdDone && now >= answeredAt + plan.hold.afterMs) {
      plan.holdDone = true;
      return act({ type: 'hold' });
    }
    if (phone.state === 'held' && now >= answeredAt + (plan.hold ? plan.hold.afterMs + plan.hold.forMs : 0)) {
      return act({ type: 'unhold' });
    }
    return false;
  }

  /** The customer's side of a call with a real agent, or of a taken-over call: they hang up when done. */
  private stepCustomer(
    plan: CallPlan,
    phone: AgentPhoneState,
    takenOver: ReadonlySet<string>,
    now: number,
    emit: (userId: number, event: PhoneEvent) => void,
    actions: SimulatorAction[],
  ): void {
    if (!this.plans.has(plan.callId)) return;
    if (takenOver.has(plan.callId)) {
      plan.answeredAt ??= now;
      if (now >= plan.answeredAt + plan.talkMs) {
        this.plans.delete(plan.callId);
        actions.push({ type: 'endTakenOverCall', callId: plan.callId, userId: plan.userId });
      }
      return;
    }
    if (plan.simulated || phone.call?.callId !== plan.callId) return;
    if (phone.state === 'ringing') {
      if (now >= plan.offeredAt + this.options.realAgentRingSeconds * 1000) {
        this.plans.delete(plan.callId);
        emit(plan.userId, { type: 'hangUp' });
      }
      return;
    }
    plan.answeredAt ??= now;
    if (now >= plan.answeredAt + plan.talkMs) {
      this.plans.delete(plan.callId);
      emit(plan.userId, { type: 'hangUp' });
    }
  }

  private arrive(now: number): void {
    const meanGapMs = this.options.arrivalPerMinute > 0 ? 60_000 / this.options.arrivalPerMinute : Infinity;
    if (meanGapMs === Infinity) return;
    this.nextArrivalAt ??= now + this.exponentialMs(meanGapMs);
    while (this.nextArrivalAt <= now) {
      const queue = this.options.queues[Math.floor(this.random() * this.options.queues.length)]!;
      this.enqueue(this.nextArrivalAt, queue, null);
      this.nextArrivalAt += this.exponentialMs(meanGapMs);
    }
  }

  /** First come, first served, to the agent available longest (the usual ACD rule); callers give up after a while. */
  private distribute(
    now: number,
    floor: FloorView,
    changed: ReadonlyMap<number, AgentPhoneState>,
    phoneOf: (userId: number) => AgentPhoneState,
    emit: (userId: number, event: PhoneEvent) => void,
  ): void {
    if (this.waiting.length === 0) return;
    const patienceMs = this.options.maxQueueWaitSeconds * 1000;
    const offerable = (p: AgentPhoneState) => p.state === 'available' && (this.drivenIds.has(p.userId) || this.options.offerToRealAgents);
    // One walk over the free agents for the whole tick (not one per waiting call), read only as far as
    // calls are waiting: the floor's available agents as this tick left them, then the agents this tick
    // made available (available since now, so last).
    const free = (function* () {
      for (const p of floor.availableLongestFirst()) if (!changed.has(p.userId)) yield p.userId;
      const madeAvailable = [...changed.values()].filter((p) => p.state === 'available').sort(longestFirst);
      for (const p of madeAvailable) yield p.userId;
    })();
    const nextFree = (): number | null => {
      for (let r = free.next(); !r.done; r = free.next()) if (offerable(phoneOf(r.value))) return r.value;
      return null;
    };
    const stillWaiting: WaitingCall[] = [];
    for (const call of this.waiting) {
      if (now - call.arrivedAt >= patienceMs) {
        this.abandonedInQueue++;
        this.queueEvents.push({ type: 'abandoned', queue: call.queue, callId: call.callId, at: call.arrivedAt + patienceMs });
        continue;
      }
      const userId = call.toUserId === null ? nextFree() : offerable(phoneOf(call.toUserId)) ? call.toUserId : null;
      if (userId === null) {
        stillWaiting.push(call);
        continue;
      }
      this.offer(call, userId, now, emit);
    }
    this.waiting = stillWaiting;
  }

  private offer(call: WaitingCall, userId: number, now: number, emit: (userId: number, event: PhoneEvent) => void): void {
    const callId = call.callId;
    this.callCount++;
    const talkMs = Math.max(1000, this.exponentialMs(this.options.meanHandleSeconds * 1000));
    const ringMs = Math.round(this.options.ringSeconds * 1000 * (0.5 + this.random()));
    const hold =
      this.random() < this.options.holdProbability
        ? { afterMs: Math.round(talkMs * (0.2 + 0.5 * this.random())), forMs: this.exponentialMs(this.options.meanHoldSeconds * 1000) }
        : null;
    const recording = this.random() < this.options.recordedShare ? 'on' : 'off';
    const remoteNumber = `+1555${String(Math.floor(this.random() * 10_000_000)).padStart(7, '0')}`;
    this.plans.set(callId, {
      callId,
      userId,
      simulated: this.drivenIds.has(userId),
      offeredAt: now,
      ringMs,
      talkMs,
      hold,
      answeredAt: null,
      holdDone: false,
    });
    emit(userId, { type: 'offerCall', offer: { callId, direction: 'inbound', remoteNumber, queue: call.queue, recording } });
  }

  /** Exponential with the given mean, whole milliseconds, at least 1. */
  private exponentialMs(meanMs: number): number {
    return Math.max(1, Math.round(-Math.log(1 - this.random()) * meanMs));
  }
}
