import {
  ALERT_KIND_LABEL,
  floorAlerts,
  type AlertDefaults,
  type AlertSettings,
  type AlertThresholds,
  type BoardSnapshot,
  type QueuesSnapshot,
} from '@earshot/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServerConfig } from '../../server/src/app.js';
import { agentOnCall, collect, until } from '../support/floor.js';
import { call, closeAllSockets, connect, connectAs, login, ok, startTestServer, type ClientSocket, type TestServer } from '../support/harness.js';

/**
 * Alert thresholds: an administrator's defaults and a supervisor's tighter own values, through the action
 * pipeline; and which rows and queues are past them at exact instants of a scripted clock, computed from
 * the board's and the queues' timestamps with the effective thresholds the server gives each user.
 */
let server: TestServer;
let admin: ClientSocket;

beforeEach(async () => {
  // The simulator drives no agent of its own: only the people below change state, and only when told.
  server = await startTestServer({ simulator: { agents: 0 } as ServerConfig['simulator'] });
  admin = (await connectAs(server.url, 'admin')).socket;
});

afterEach(async () => {
  closeAllSockets();
  await server.close();
});

const DEFAULTS: AlertThresholds = { longCall: 300, longHold: 60, longNotReady: 600, longWrapUp: 90, queueWait: 45 };

describe('alert thresholds: defaults and own values', () => {
  it('an administrator sets the defaults (Change System Settings), audited with the values before; everyone signed in is told', async () => {
    const manager = (await connectAs(server.url, 'manager.billing')).socket;
    expect((await ok(manager, 'alerts:get', {})).defaults).toEqual({ longCall: 600, longHold: 120, longNotReady: 900, longWrapUp: 120, queueWait: 60 });
    const told = collect<AlertDefaults>(manager, 'alerts:defaults');

    expect(await ok(admin, 'alerts:setDefaults', { thresholds: DEFAULTS })).toEqual({ defaults: DEFAULTS });
    await until(() => told.length === 1);
    expect(told).toEqual([{ defaults: DEFAULTS }]);
    expect(await ok(manager, 'alerts:get', {})).toEqual({
      defaults: DEFAULTS,
      own: { longCall: null, longHold: null, longNotReady: null, longWrapUp: null, queueWait: null },
      effective: DEFAULTS,
      signals: { desktop: false, sound: false },
    });

    // A Manager and a Limited Admin do not hold Change System Settings.
    expect(await call(manager, 'alerts:setDefaults', { thresholds: DEFAULTS })).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'Your profile (Manager) does not hold Change System Settings (system.settings)' },
    });
    const limited = (await connectAs(server.url, 'limited')).socket;
    expect(await call(limited, 'alerts:setDefaults', { thresholds: DEFAULTS })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await call(admin, 'alerts:setDefaults', { thresholds: { ...DEFAULTS, longHold: 0 } })).toEqual({
      ok: false,
      error: { code: 'INVALID', message: 'A threshold is at least 1 second.' },
    });

    const { records } = await ok(admin, 'audit:query', { action: 'alerts:' });
    expect(records.map((r) => [r.action, r.outcome, r.code, r.targetType, r.targetId])).toEqual([
      ['alerts:setDefaults', 'refused', 'INVALID', 'settings', 'alertThresholds'],
      ['alerts:setDefaults', 'denied', 'FORBIDDEN', 'settings', 'alertThresholds'],
      ['alerts:setDefaults', 'denied', 'FORBIDDEN', 'settings', 'alertThresholds'],
      ['alerts:setDefaults', 'ok', null, 'settings', 'alertThresholds'],
    ]);
    expect(records[3]!.detail).toEqual({
      before: { longCall: 600, longHold: 120, longNotReady: 900, longWrapUp: 120, queueWait: 60 },
      input: { thresholds: DEFAULTS },
    });
  });

  it('a supervisor tightens a threshold for themselves, never loosens it; kept across logins, audited, sent to their other tabs', async () => {
    await ok(admin, 'alerts:setDefaults', { thresholds: DEFAULTS });
    const { token, me } = await login(server.url, 'manager.billing');
    const tab = await connect(server.url, token);
    const otherTab = await connect(server.url, token);
    const followed = collect<AlertSettings>(otherTab, 'alerts:settings');

    const own = { longCall: 120, longHold: null, longNotReady: null, longWrapUp: null, queueWait: 30 };
    expect(await call(tab, 'alerts:setMine', { own: { ...own, longHold: 61 } })).toEqual({
      ok: false,
      error: { code: 'INVALID', message: "Long hold: 61 seconds is longer than the administrator's 60 seconds. You may only lower a threshold." },
    });
    const mine = await ok(tab, 'alerts:setMine', { own, signals: { desktop: true, sound: true } });
    expect(mine).toEqual({ defaults: DEFAULTS, own, effective: { ...DEFAULTS, longCall: 120, queueWait: 30 }, signals: { desktop: true, sound: true } });
    await until(() => followed.length === 1);
    expect(followed[0]).toEqual(mine);
    // Turning the sound off keeps the thresholds.
    expect((await ok(tab, 'alerts:setMine', { signals: { desktop: true, sound: false } })).own).toEqual(own);

    // Kept: a new login reads them back. The administrator's own defaults are not touched by it.
    const again = (await connectAs(server.url, 'manager.billing')).socket;
    expect(await ok(again, 'alerts:get', {})).toEqual({ ...mine, signals: { desktop: true, sound: false } });
    expect((await ok(admin, 'alerts:get', {})).effective).toEqual(DEFAULTS);

    // The administrator lowers Long call below the supervisor's own: the default applies to them too.
    await ok(admin, 'alerts:setDefaults', { thresholds: { ...DEFAULTS, longCall: 90 } });
    expect((await ok(again, 'alerts:get', {})).effective).toEqual({ ...DEFAULTS, longCall: 90, queueWait: 30 });

    const { records } = await ok(admin, 'audit:query', { action: 'alerts:setMine' });
    expect(records.map((r) => [r.actorId, r.outcome, r.code, r.targetType, r.targetId])).toEqual([
      [me.id, 'ok', null, 'user', String(me.id)],
      [me.id, 'ok', null, 'user', String(me.id)],
      [me.id, 'refused', 'INVALID', 'user', String(me.id)],
    ]);
  });

  it('a user without View Live Phone State has no alerts to set', async () => {
    const profile = await ok(admin, 'profiles:create', { name: 'Auditor', rights: ['recording.playback'], scope: 'all' });
    await ok(admin, 'users:create', { username: 'auditor', displayName: 'Ann Auditor', password: 'auditor-pass', profileId: profile.profile.id });
    const auditor = (await connectAs(server.url, 'auditor', 'auditor-pass')).socket;
    expect(await call(auditor, 'alerts:get', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await call(auditor, 'alerts:setMine', { signals: { desktop: true, sound: true } })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

describe('thresholds crossing on a scripted clock', () => {
  /** The alerts a user's board and queue panel show at this instant: the server's snapshots, the user's thresholds. */
  async function alertsSeenBy(socket: ClientSocket): Promise<string[]> {
    const board: BoardSnapshot = await ok(socket, 'board:subscribe', {});
    const queues: QueuesSnapshot = await ok(socket, 'queues:subscribe', {});
    expect(board.at).toBe(server.clock.value);
    const { effective } = await ok(socket, 'alerts:get', {});
    const names = new Map(board.entries.map((e) => [e.userId, e.displayName]));
    return floorAlerts(
      board.entries.map((e) => e.phone),
      queues.queues,
      effective,
      board.at,
    ).map((a) => `${ALERT_KIND_LABEL[a.kind]}: ${a.kind === 'queueWait' ? a.queue : names.get(a.userId)}`);
  }

  it('marks exactly the rows and queues past each user’s thresholds, at the exact instant they pass', async () => {
    await ok(admin, 'alerts:setDefaults', { thresholds: DEFAULTS });
    const manager = (await connectAs(server.url, 'manager.billing')).socket;
    await ok(manager, 'alerts:setMine', { own: { longCall: 120, longHold: null, longNotReady: null, longWrapUp: null, queueWait: 30 } });

    const t0 = server.clock.value;
    const at = (secondsAfter: number, extraMs = 0) => {
      server.clock.value = t0 + secondsAfter * 1000 + extraMs;
    };
    // T0: Ava (agent.billing) and Maya (agent.support) take a call each; Grace (agent.sales) goes to lunch;
    // a Billing caller waits, nobody being available.
    const billing = await agentOnCall(server, 'agent.billing');
    const support = await agentOnCall(server, 'agent.support');
    const sales = (await connectAs(server.url, 'agent.sales')).socket;
    await ok(sales, 'agent:attach', {});
    await ok(sales, 'agent:status', { status: 'notReady', reason: 'Lunch' });
    server.simulator!.placeCall({ queue: 'Billing' });
    const names = await ok(admin, 'board:subscribe', {});
    const nameOf = (id: number) => names.entries.find((e) => e.userId === id)!.displayName;
    const [ava, maya, grace] = [nameOf(billing.userId), nameOf(support.userId), names.entries.find((e) => e.phone.state === 'notReady')!.displayName];

    expect(await alertsSeenBy(admin)).toEqual([]);
    // The manager's own queue wait is 30 s: passed at 30.001 s; the administrator's 45 s not yet.
    at(30);
    expect(await alertsSeenBy(manager)).toEqual([]);
    at(30, 1);
    expect(await alertsSeenBy(manager)).toEqual(['Long queue wait: Billing']);
    expect(await alertsSeenBy(admin)).toEqual([]);
    at(45, 1);
    expect(await alertsSeenBy(admin)).toEqual(['Long queue wait: Billing']);

    // 100 s: Maya puts her customer on hold. 120.001 s: the manager's Long call (120 s) on Ava's row only.
    at(100);
    await ok(support.socket, 'call:hold', { callId: support.callId });
    at(120, 1);
    expect(await alertsSeenBy(manager)).toEqual([`Long call: ${ava}`, 'Long queue wait: Billing']);
    expect(await alertsSeenBy(admin)).toEqual(['Long queue wait: Billing']);

    // Maya's hold passes 60 s at 160.001 s (held since 100 s); she is not in the Billing manager's scope.
    at(160);
    expect(await alertsSeenBy(admin)).toEqual(['Long queue wait: Billing']);
    at(160, 1);
    expect(await alertsSeenBy(admin)).toEqual([`Long hold: ${maya}`, 'Long queue wait: Billing']);
    expect(await alertsSeenBy(manager)).toEqual([`Long call: ${ava}`, 'Long queue wait: Billing']);

    // 300.001 s: both calls are long for the administrator (300 s); Ava hangs up then, into Wrap-up.
    at(300, 1);
    const seen = await alertsSeenBy(admin);
    expect(seen.filter((s) => s.startsWith('Long call')).sort()).toEqual([`Long call: ${ava}`, `Long call: ${maya}`].sort());
    expect(seen).toContain(`Long hold: ${maya}`);
    await ok(billing.socket, 'call:hangUp', { callId: billing.callId });
    expect(await alertsSeenBy(manager)).toEqual(['Long queue wait: Billing']);

    // Wrap-up (90 s) from 300.001 s: passed at 390.002 s, not at 390.001 s.
    at(390, 1);
    expect(await alertsSeenBy(manager)).toEqual(['Long queue wait: Billing']);
    at(390, 2);
    expect(await alertsSeenBy(manager)).toEqual([`Long Wrap-up: ${ava}`, 'Long queue wait: Billing']);

    // Grace's lunch (600 s) passes at 600.001 s; the Sales manager sees it, the Billing manager does not.
    at(600, 1);
    const salesManager = (await connectAs(server.url, 'manager.sales')).socket;
    expect(await alertsSeenBy(salesManager)).toEqual([`Long Not ready: ${grace}`]);
    expect(await alertsSeenBy(manager)).not.toContain(`Long Not ready: ${grace}`);
  });
});
