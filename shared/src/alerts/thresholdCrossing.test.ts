import { describe, expect, it } from 'vitest';
import { effectiveThresholds, INSTALLED_ALERT_THRESHOLDS, NO_OWN_THRESHOLDS, type AlertThresholds } from '../messages/alerts.js';
import type { Call } from '../messages/floor.js';
import { agentAlerts, alertKey, floorAlerts, queueAlert, type AlertedPhone } from './thresholdCrossing.js';

const T0 = Date.UTC(2026, 10, 22, 9, 0, 0);
const THRESHOLDS: AlertThresholds = { longCall: 300, longHold: 60, longNotReady: 600, longWrapUp: 90, queueWait: 45 };

const call = (startedAt: number): Call => ({
  callId: 'c1',
  direction: 'inbound',
  remoteNumberMasked: '•••1234',
  queue: 'Billing',
  startedAt,
  recording: 'off',
  supervisions: [],
});
const phone = (state: AlertedPhone['state'], since: number, callStartedAt: number | null = null): AlertedPhone => ({
  userId: 7,
  state,
  since,
  call: callStartedAt === null ? null : call(callStartedAt),
});

describe('agentAlerts', () => {
  it('a call is long from the moment it has lasted more than the threshold, counted from its start', () => {
    const talking = phone('talking', T0 + 20_000, T0);
    expect(agentAlerts(talking, THRESHOLDS, T0 + 300_000)).toEqual([]);
    expect(agentAlerts(talking, THRESHOLDS, T0 + 300_001)).toEqual([{ kind: 'longCall', userId: 7, since: T0, elapsedMs: 300_001, thresholdMs: 300_000 }]);
  });

  it('a hold is counted from the hold; a held call can be long and on a long hold at once', () => {
    const held = phone('held', T0 + 250_000, T0);
    expect(agentAlerts(held, THRESHOLDS, T0 + 300_000)).toEqual([]);
    expect(agentAlerts(held, THRESHOLDS, T0 + 310_001).map((a) => [a.kind, a.since, a.elapsedMs])).toEqual([
      ['longCall', T0, 310_001],
      ['longHold', T0 + 250_000, 60_001],
    ]);
  });

  it('Not ready and Wrap-up are counted from the state’s start; other states raise nothing', () => {
    expect(agentAlerts(phone('notReady', T0), THRESHOLDS, T0 + 600_000)).toEqual([]);
    expect(agentAlerts(phone('notReady', T0), THRESHOLDS, T0 + 600_001).map((a) => a.kind)).toEqual(['longNotReady']);
    expect(agentAlerts(phone('wrapUp', T0), THRESHOLDS, T0 + 90_001).map((a) => a.kind)).toEqual(['longWrapUp']);
    const day = T0 + 86_400_000;
    expect(agentAlerts(phone('available', T0), THRESHOLDS, day)).toEqual([]);
    expect(agentAlerts(phone('loggedOut', T0), THRESHOLDS, day)).toEqual([]);
    // A long ring is the queue's matter, not a long call.
    expect(agentAlerts(phone('ringing', T0, T0), THRESHOLDS, day)).toEqual([]);
  });
});

describe('queueAlert', () => {
  it('is raised once the caller waiting longest has waited more than the threshold', () => {
    expect(queueAlert({ queue: 'Sales', oldestWaitingSince: null }, THRESHOLDS, T0)).toBeNull();
    expect(queueAlert({ queue: 'Sales', oldestWaitingSince: T0 }, THRESHOLDS, T0 + 45_000)).toBeNull();
    expect(queueAlert({ queue: 'Sales', oldestWaitingSince: T0 }, THRESHOLDS, T0 + 45_001)).toEqual({
      kind: 'queueWait',
      queue: 'Sales',
      since: T0,
      elapsedMs: 45_001,
      thresholdMs: 45_000,
    });
  });
});

describe('floorAlerts and alertKey', () => {
  it('lists the agents’ alerts in order, then the queues’; each crossing has its own key', () => {
    const phones = [
      { ...phone('wrapUp', T0), userId: 3 },
      { ...phone('available', T0), userId: 4 },
      { ...phone('notReady', T0 - 600_000), userId: 5 },
    ];
    const alerts = floorAlerts(
      phones,
      [
        { queue: 'Billing', oldestWaitingSince: T0 },
        { queue: 'Sales', oldestWaitingSince: null },
      ],
      THRESHOLDS,
      T0 + 90_500,
    );
    expect(alerts.map(alertKey)).toEqual([`longWrapUp:3:${T0}`, `longNotReady:5:${T0 - 600_000}`, `queueWait:Billing:${T0}`]);
  });
});

describe('effectiveThresholds', () => {
  it('takes the user’s own value where set, never looser than the default', () => {
    const defaults = INSTALLED_ALERT_THRESHOLDS;
    expect(effectiveThresholds(defaults, NO_OWN_THRESHOLDS)).toEqual(defaults);
    // The default was lowered below a value the user had set: the default wins.
    expect(effectiveThresholds({ ...defaults, longHold: 30 }, { ...NO_OWN_THRESHOLDS, longCall: 240, longHold: 90 })).toEqual({
      ...defaults,
      longCall: 240,
      longHold: 30,
    });
  });
});
