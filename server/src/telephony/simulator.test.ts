import type { AgentPhoneState } from '@earshot/shared';
import { describe, expect, it } from 'vitest';
import { applyPhoneEvent, loggedOutState } from '../domain/phoneState.js';
import { handOverCall } from '../domain/takeOver.js';
import { mulberry32 } from './prng.js';
import { floorViewOf, TelephonySimulator, type SimulatorAction, type SimulatorConfig } from './simulator.js';

const T0 = 1_700_000_000_000;
const HALF = () => 0.5;
/** With random() = 0.5 an exponential draw is ln 2 × mean: 6931 ms for a 10 s mean. */
const base: SimulatorConfig = {
  agents: 1,
  arrivalPerMinute: 6,
  meanHandleSeconds: 10,
  queues: ['sales'],
  ringSeconds: 2,
  wrapUpSeconds: 5,
  holdProbability: 0,
};

/** The driver's part, as the real driver will do it: apply every action in order, then tick again. */
class Floor {
  readonly phones = new Map<number, AgentPhoneState>();
  readonly takenOver = new Set<string>();
  readonly log: string[] = [];

  constructor(private readonly sim: TelephonySimulator) {}

  tick(t: number): SimulatorAction[] {
    const actions = this.sim.tick(t, floorViewOf([...this.phones.values()], this.takenOver));
    for (const a of actions) this.apply(t, a);
    return actions;
  }

  run(from: number, to: number, step = 1000): void {
    for (let t = from; t <= to; t += step) this.tick(t);
  }

  apply(t: number, a: SimulatorAction): void {
    if (a.type === 'endTakenOverCall') {
      this.takenOver.delete(a.callId);
      this.log.push(`${t - T0} end ${a.callId}`);
      return;
    }
    this.phones.set(a.userId, applyPhoneEvent(this.phones.get(a.userId) ?? loggedOutState(a.userId, t), a.event, t));
    const detail =
      a.event.type === 'offerCall' ? ` ${a.event.offer.callId} ${a.event.offer.queue} ${a.event.offer.remoteNumber} ${a.event.offer.recording}` : '';
    this.log.push(`${t - T0} ${a.userId} ${a.event.type}${detail}`);
  }

  /** The real agent (or a supervisor's action) changes a phone directly. */
  set(userId: number, t: number, type: 'answer' | 'setAvailable' | 'login'): void {
    this.phones.set(userId, applyPhoneEvent(this.phones.get(userId) ?? loggedOutState(userId, t), { type }, t));
  }
}

describe('TelephonySimulator: a simulated agent, step by step', () => {
  it('logs in, gets ready, is offered a call, answers after the ring, hangs up after the handle time, wraps up', () => {
    const sim = new TelephonySimulator(base, HALF);
    expect(sim.drive(7)).toBe(true);
    const floor = new Floor(sim);
    floor.run(T0, T0 + 22_000);
    expect(floor.log).toEqual([
      '0 7 login',
      '0 7 setAvailable',
      // first arrival at 6931 ms, offered at the next tick
      '7000 7 offerCall sim-1 sales +15555000000 off',
      // ring 2000 ms
      '9000 7 answer',
      // talk 6931 ms from 9000: due 15931 (the second caller, arrived at 13862, waits meanwhile)
      '16000 7 hangUp',
      // wrap-up 5000 ms, then the waiting caller at once
      '21000 7 endWrapUp',
      '21000 7 offerCall sim-2 sales +15555000000 off',
    ]);
    expect(sim.stats()).toEqual({ offered: 2, abandonedInQueue: 0, waiting: 1 });
  });

  it('holds when the draw says so, and takes the call off hold', () => {
    const sim = new TelephonySimulator({ ...base, holdProbability: 1, meanHoldSeconds: 2 }, HALF);
    sim.drive(7);
    const floor = new Floor(sim);
    floor.run(T0, T0 + 16_000);
    // answer at 9000; hold after 0.45 × 6931 = 3119 ms (12119), for 1386 ms (13505); hang up at 15931
    expect(floor.log.slice(3)).toEqual(['9000 7 answer', '13000 7 hold', '14000 7 unhold', '16000 7 hangUp']);
  });

  it('drives at most `agents` users', () => {
    const sim = new TelephonySimulator({ ...base, agents: 2 }, HALF);
    expect([sim.drive(3), sim.drive(1), sim.drive(3), sim.drive(2)]).toEqual([true, true, true, false]);
    expect(sim.drivenAgents()).toEqual([1, 3]);
    expect([sim.drives(1), sim.drives(2)]).toEqual([true, false]);
  });

  it('offers to the agent available longest', () => {
    const sim = new TelephonySimulator({ ...base, agents: 3, arrivalPerMinute: 0 }, HALF);
    const floor = new Floor(sim);
    sim.placeCall(T0 + 7000);
    for (const [id, since] of [
      [1, 3000],
      [2, 1000],
      [3, 2000],
    ] as const) {
      floor.phones.set(id, { userId: id, state: 'available', notReadyReason: null, since: T0 + since, call: null });
      sim.drive(id);
    }
    floor.run(T0 + 7000, T0 + 7000);
    expect(floor.log).toEqual(['7000 2 offerCall sim-1 sales +15555000000 off']);
  });

  it('callers give up after maxQueueWaitSeconds when nobody is available', () => {
    const sim = new TelephonySimulator({ ...base, agents: 0, maxQueueWaitSeconds: 10 }, HALF);
    const floor = new Floor(sim);
    floor.run(T0, T0 + 17_000);
    // arrivals at 6931 and 13862; the first gives up at 16931
    expect(sim.stats()).toEqual({ offered: 0, abandonedInQueue: 1, waiting: 1 });
    expect(floor.log).toEqual([]);
  });

  it('reports its queue events: each caller waiting from arrival, and giving up when their patience runs out', () => {
    const sim = new TelephonySimulator({ ...base, agents: 0, maxQueueWaitSeconds: 10 }, HALF);
    const floor = new Floor(sim);
    sim.placeCall(T0, { queue: 'support' });
    floor.run(T0, T0 + 17_000);
    expect(sim.takeQueueEvents()).toEqual([
      { type: 'waiting', queue: 'support', callId: 'sim-1', at: T0 },
      { type: 'waiting', queue: 'sales', callId: 'sim-2', at: T0 + 6931 },
      { type: 'abandoned', queue: 'support', callId: 'sim-1', at: T0 + 10_000 },
      { type: 'waiting', queue: 'sales', callId: 'sim-3', at: T0 + 13_862 },
      { type: 'abandoned', queue: 'sales', callId: 'sim-2', at: T0 + 16_931 },
    ]);
    expect(sim.takeQueueEvents()).toEqual([]);
  });
});

describe('TelephonySimulator: real agents answer themselves', () => {
  const real = { ...base, agents: 0, arrivalPerMinute: 0, realAgentRingSeconds: 20 };

  it('offers a placed call to an available real agent and hangs the customer up after the handle time', () => {
    const sim = new TelephonySimulator(real, HALF);
    const floor = new Floor(sim);
    floor.set(20, T0, 'login');
    floor.set(20, T0, 'setAvailable');
    sim.placeCall(T0, { toUserId: 20, queue: 'support' });
    floor.run(T0, T0 + 3000);
    expect(floor.log).toEqual(['0 20 offerCall sim-1 support +15555000000 off']);
    floor.set(20, T0 + 3500, 'answer');
    floor.run(T0 + 4000, T0 + 11_000);
    // the simulator never answers for a real agent; talk time counts from the tick that first sees the answer (4000)
    expect(floor.log.slice(1)).toEqual(['11000 20 hangUp']);
    expect(floor.phones.get(20)?.state).toBe('wrapUp');
  });

  it('the customer abandons an offer left ringing', () => {
    const sim = new TelephonySimulator(real, HALF);
    const floor = new Floor(sim);
    floor.set(20, T0, 'login');
    floor.set(20, T0, 'setAvailable');
    sim.placeCall(T0, { toUserId: 20 });
    floor.run(T0, T0 + 20_000);
    expect(floor.log).toEqual(['0 20 offerCall sim-1 sales +15555000000 off', '20000 20 hangUp']);
    expect(floor.phones.get(20)?.state).toBe('available');
  });

  it('a targeted call waits for its agent; untargeted calls skip real agents when told to', () => {
    const sim = new TelephonySimulator({ ...real, offerToRealAgents: false }, HALF);
    const floor = new Floor(sim);
    floor.set(20, T0, 'login');
    sim.placeCall(T0);
    sim.placeCall(T0, { toUserId: 20 });
    floor.run(T0, T0 + 1000);
    expect(floor.log).toEqual([]);
    floor.set(20, T0 + 1500, 'setAvailable');
    floor.run(T0 + 2000, T0 + 2000);
    expect(floor.log).toEqual([]);
    expect(sim.stats().waiting).toBe(2);
  });
});

describe('TelephonySimulator: a take-over', () => {
  it('the agent wraps up, the customer stays with the supervisor and hangs up after the handle time', () => {
    const sim = new TelephonySimulator({ ...base, arrivalPerMinute: 0 }, HALF);
    sim.drive(7);
    const floor = new Floor(sim);
    sim.placeCall(T0);
    floor.run(T0, T0 + 4000);
    expect(floor.log).toEqual(['0 7 login', '0 7 setAvailable', '0 7 offerCall sim-1 sales +15555000000 off', '2000 7 answer']);
    const { agent, takenOver } = handOverCall(floor.phones.get(7)!, { sessionId: 's1', supervisorId: 2 }, T0 + 4500);
    floor.phones.set(7, agent);
    floor.takenOver.add(takenOver.call.callId);
    floor.run(T0 + 5000, T0 + 10_000);
    // wrap-up from 4500 ends at 9500; talk from 2000 ends at 8931
    expect(floor.log.slice(4)).toEqual(['9000 end sim-1', '10000 7 endWrapUp']);
  });
});

describe('TelephonySimulator: deterministic from a seed', () => {
  const busy: SimulatorConfig = {
    agents: 5,
    arrivalPerMinute: 8,
    meanHandleSeconds: 40,
    queues: ['sales', 'support', 'billing'],
    holdProbability: 0.3,
    meanHoldSeconds: 10,
    recordedShare: 0.5,
    maxQueueWaitSeconds: 60,
  };

  function hour(seed: number): Floor {
    const sim = new TelephonySimulator(busy, mulberry32(seed));
    for (const id of [11, 12, 13, 14, 15]) sim.drive(id);
    const floor = new Floor(sim);
    floor.run(T0, T0 + 3_600_000, 500);
    return floor;
  }

  it('the same seed gives the same floor, action for action; another seed another floor', () => {
    const a = hour(42);
    expect(hour(42).log).toEqual(a.log);
    expect(hour(43).log).not.toEqual(a.log);
  });

  it('every action is a legal transition and the floor exercises the whole cycle', () => {
    const floor = hour(42); // applyPhoneEvent would throw on an illegal one
    const types = new Set(floor.log.map((l) => l.split(' ')[2]));
    expect([...types].sort()).toEqual(['answer', 'endWrapUp', 'hangUp', 'hold', 'login', 'offerCall', 'setAvailable', 'unhold']);
    const queues = new Set(floor.log.filter((l) => l.includes('offerCall')).map((l) => l.split(' ')[4]));
    expect([...queues].sort()).toEqual(['billing', 'sales', 'support']);
  });

  it('mulberry32 gives the reference sequence (checked against an independent implementation)', () => {
    const r = mulberry32(1);
    expect([r(), r(), r()].map((x) => x.toFixed(8))).toEqual(['0.62707394', '0.00273572', '0.52744704']);
  });
});
