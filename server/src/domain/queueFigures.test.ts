import { describe, expect, it } from 'vitest';
import { countAgentsByState, QueueLedger, RECENT_WINDOW_MS, type QueueEvent } from './queueFigures.js';
import { queuesVisibleTo, teamTakesQueue } from './queueVisibility.js';
import type { RightId } from '@earshot/shared';

const DAY = 86_400_000;
/** Days start at multiples of DAY: day 1 starts at DAY. */
const dayStartOf = (at: number) => Math.floor(at / DAY) * DAY;
const T0 = DAY + 9 * 3_600_000;
const s = (seconds: number) => T0 + seconds * 1000;

function ledger(thresholdMs = 20_000) {
  return new QueueLedger('Billing', { thresholdMs, dayStartOf });
}

function feed(l: QueueLedger, events: [QueueEvent['type'], string, number][]) {
  for (const [type, callId, at] of events) l.apply({ type, queue: 'Billing', callId, at });
}

describe('QueueLedger', () => {
  it('counts the callers waiting and the longest wait at the moment it is asked', () => {
    const l = ledger();
    feed(l, [
      ['waiting', 'a', s(0)],
      ['waiting', 'b', s(5)],
      ['waiting', 'c', s(12)],
    ]);
    const f = l.figures(s(15));
    expect(f).toMatchObject({ waiting: 3, oldestWaitingSince: s(0), longestWaitMs: 15_000, overThreshold: false });
    feed(l, [['answered', 'a', s(16)]]);
    expect(l.figures(s(30))).toMatchObject({ waiting: 2, oldestWaitingSince: s(5), longestWaitMs: 25_000, overThreshold: true });
    feed(l, [
      ['abandoned', 'b', s(31)],
      ['answered', 'c', s(32)],
    ]);
    expect(l.figures(s(40))).toMatchObject({ waiting: 0, oldestWaitingSince: null, longestWaitMs: 0, overThreshold: false });
  });

  it('crosses the threshold strictly after it: 20 s waited is still in time, 20.001 s is not', () => {
    const l = ledger();
    feed(l, [['waiting', 'a', s(0)]]);
    expect(l.figures(s(20)).overThreshold).toBe(false);
    expect(l.nextChangeAfter(s(20))).toBe(s(20) + 1);
    expect(l.figures(s(20) + 1).overThreshold).toBe(true);
  });

  it('service level: answered within the threshold over all who stopped waiting, for 30 minutes and for today', () => {
    const l = ledger();
    feed(l, [
      ['waiting', 'a', s(0)],
      ['answered', 'a', s(20)], // 20 s: in time
      ['waiting', 'b', s(0)],
      ['answered', 'b', s(21)], // 21 s: late
      ['waiting', 'c', s(0)],
      ['abandoned', 'c', s(5)], // gave up
      ['waiting', 'd', s(30)],
      ['answered', 'd', s(31)], // in time
    ]);
    const f = l.figures(s(60));
    expect(f.lastThirtyMinutes).toEqual({ answered: 3, answeredWithinThreshold: 2, abandoned: 1, share: 0.5 });
    expect(f.today).toEqual({ answered: 3, answeredWithinThreshold: 2, abandoned: 1, share: 0.5 });
  });

  it('the 30-minute window drops outcomes older than 30 minutes; today keeps them until midnight', () => {
    const l = ledger();
    feed(l, [
      ['waiting', 'a', s(0)],
      ['answered', 'a', s(1)],
      ['waiting', 'b', s(600)],
      ['abandoned', 'b', s(610)],
    ]);
    expect(l.nextChangeAfter(s(700))).toBe(s(1) + RECENT_WINDOW_MS);
    expect(l.figures(s(1) + RECENT_WINDOW_MS - 1).lastThirtyMinutes).toEqual({ answered: 1, answeredWithinThreshold: 1, abandoned: 1, share: 0.5 });
    const later = l.figures(s(1) + RECENT_WINDOW_MS);
    expect(later.lastThirtyMinutes).toEqual({ answered: 0, answeredWithinThreshold: 0, abandoned: 1, share: 0 });
    expect(later.today).toEqual({ answered: 1, answeredWithinThreshold: 1, abandoned: 1, share: 0.5 });
    expect(l.figures(s(610) + RECENT_WINDOW_MS).lastThirtyMinutes).toEqual({ answered: 0, answeredWithinThreshold: 0, abandoned: 0, share: null });
  });

  it('today restarts at midnight; a caller still waiting across midnight counts on the day their wait ends', () => {
    const l = ledger();
    const beforeMidnight = 2 * DAY - 10_000;
    feed(l, [
      ['waiting', 'a', beforeMidnight - 5000],
      ['answered', 'a', beforeMidnight],
      ['waiting', 'b', beforeMidnight],
    ]);
    expect(l.figures(beforeMidnight + 1).today.answered).toBe(1);
    const afterMidnight = 2 * DAY + 1000;
    expect(l.figures(afterMidnight).today).toEqual({ answered: 0, answeredWithinThreshold: 0, abandoned: 0, share: null });
    feed(l, [['answered', 'b', afterMidnight]]);
    const f = l.figures(afterMidnight);
    expect(f.today).toEqual({ answered: 1, answeredWithinThreshold: 1, abandoned: 0, share: 1 });
    // The window does not care for midnight: both answers are in it.
    expect(f.lastThirtyMinutes.answered).toBe(2);
  });

  it('average handle time: from answer to the end of the agent part, over calls ended today', () => {
    const l = ledger();
    expect(l.figures(s(0)).averageHandleMs).toBeNull();
    feed(l, [
      ['waiting', 'a', s(0)],
      ['answered', 'a', s(2)],
      ['ended', 'a', s(62)], // 60 s
      ['waiting', 'b', s(0)],
      ['answered', 'b', s(3)],
      ['ended', 'b', s(93)], // 90 s
      ['waiting', 'c', s(0)],
      ['answered', 'c', s(4)], // still talking
      ['ended', 'unknown', s(100)],
    ]);
    expect(l.figures(s(120)).averageHandleMs).toBe(75_000);
  });

  it('a call answered with no waiting event waited no time; a repeated waiting event keeps the first arrival', () => {
    const l = ledger();
    feed(l, [
      ['answered', 'x', s(0)],
      ['waiting', 'y', s(0)],
      ['waiting', 'y', s(10)],
    ]);
    const f = l.figures(s(25));
    expect(f.today).toEqual({ answered: 1, answeredWithinThreshold: 1, abandoned: 0, share: 1 });
    expect(f.longestWaitMs).toBe(25_000);
  });

  it('counts each caller once when two sources report the same answer or abandon', () => {
    const l = ledger();
    feed(l, [
      ['waiting', 'a', s(0)],
      ['answered', 'a', s(5)],
      ['answered', 'a', s(6)],
      ['waiting', 'b', s(0)],
      ['abandoned', 'b', s(7)],
      ['abandoned', 'b', s(7)],
    ]);
    expect(l.figures(s(10)).today).toEqual({ answered: 1, answeredWithinThreshold: 1, abandoned: 1, share: 0.5 });
  });

  it('uses the threshold it is given', () => {
    const l = ledger(5000);
    feed(l, [
      ['waiting', 'a', s(0)],
      ['answered', 'a', s(6)],
    ]);
    expect(l.figures(s(6))).toMatchObject({ thresholdMs: 5000, today: { answered: 1, answeredWithinThreshold: 0, abandoned: 0, share: 0 } });
  });
});

describe('countAgentsByState', () => {
  it('counts every state, zero for the missing ones', () => {
    expect(countAgentsByState(['talking', 'available', 'talking', 'wrapUp'])).toEqual({
      loggedOut: 0,
      available: 1,
      notReady: 0,
      ringing: 0,
      talking: 2,
      held: 0,
      wrapUp: 1,
    });
  });
});

describe('queuesVisibleTo', () => {
  const queues = ['Billing', 'Sales', 'Support'];
  const actor = (scope: 'own' | 'managed' | 'all', rights: RightId[] = ['phoneState.view']) => ({ scope, rights: new Set(rights) });

  it('scope all sees every queue; managed the queues named like the teams it supervises; own none', () => {
    expect(queuesVisibleTo(actor('all'), [], queues)).toEqual(queues);
    expect(queuesVisibleTo(actor('managed'), ['billing', 'Sales '], queues)).toEqual(['Billing', 'Sales']);
    expect(queuesVisibleTo(actor('managed'), ['Collections'], queues)).toEqual([]);
    expect(queuesVisibleTo(actor('own'), ['Billing'], queues)).toEqual([]);
  });

  it('nothing without View Live Phone State, whatever the scope', () => {
    expect(queuesVisibleTo(actor('all', ['live.monitor']), [], queues)).toEqual([]);
  });

  it('a team takes the queue of its name, ignoring case and surrounding spaces', () => {
    expect(teamTakesQueue(' SUPPORT', 'support')).toBe(true);
    expect(teamTakesQueue('Support 2', 'Support')).toBe(false);
  });
});
