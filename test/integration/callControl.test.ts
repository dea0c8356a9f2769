import type { HelpRequestView, RecordingNotice, SupervisionEnded, SupervisionNotice } from '@earshot/shared';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../server/src/store/openDatabase.js';
import { agentOnCall, collect, until, waitForPhone } from '../support/floor.js';
import { call, connect, connectAs, login, ok, userId, freshServerPerTest } from '../support/harness.js';

const t = freshServerPerTest();

describe('recording control', () => {
  it('a Manager starts, pauses and resumes; the agent is told each time and the board shows it; all audited', async () => {
    const agent = await agentOnCall(t.server, 'agent.billing');
    const notices = collect<RecordingNotice>(agent.socket, 'notice:recording');
    const manager = await connectAs(t.server.url, 'manager.billing');
    expect(await ok(manager.socket, 'recording:start', { callId: agent.callId })).toEqual({ callId: agent.callId, state: 'on' });
    expect(await ok(manager.socket, 'recording:pause', { callId: agent.callId })).toEqual({ callId: agent.callId, state: 'paused' });
    expect(await ok(manager.socket, 'recording:resume', { callId: agent.callId })).toEqual({ callId: agent.callId, state: 'on' });
    await until(() => notices.length === 3);
    expect(notices.map((n) => [n.state, n.by?.name])).toEqual([
      ['on', manager.login.me.displayName],
      ['paused', manager.login.me.displayName],
      ['on', manager.login.me.displayName],
    ]);
    const board = await ok(manager.socket, 'board:subscribe', {});
    expect(board.entries.find((e) => e.userId === agent.userId)!.phone.call!.recording).toBe('on');
    const { records } = await ok(t.admin, 'audit:query', { action: 'recording:', limit: 3 });
    expect(records.map((r) => [r.action, r.outcome, r.targetId, r.detail.state])).toEqual([
      ['recording:resume', 'ok', agent.callId, 'on'],
      ['recording:pause', 'ok', agent.callId, 'paused'],
      ['recording:start', 'ok', agent.callId, 'on'],
    ]);
  });

  it('an agent pauses and resumes their own recording for a card number, but not a colleague\u2019s', async () => {
    const agent = await agentOnCall(t.server, 'agent.sales');
    await ok(agent.socket, 'recording:start', { callId: agent.callId });
    expect(await ok(agent.socket, 'recording:pause', { callId: agent.callId })).toEqual({ callId: agent.callId, state: 'paused' });
    expect(await call(agent.socket, 'recording:pause', { callId: agent.callId })).toEqual({
      ok: false,
      error: { code: 'CONFLICT', message: 'Cannot pause the recording: it is paused (pause is allowed when it is on)' },
    });
    expect(await ok(agent.socket, 'recording:resume', { callId: agent.callId })).toEqual({ callId: agent.callId, state: 'on' });
    const colleague = (await connectAs(t.server.url, 'agent.billing')).socket;
    expect(await call(colleague, 'recording:pause', { callId: agent.callId })).toEqual({
      ok: false,
      error: { code: 'OUT_OF_SCOPE', message: `User ${agent.userId} is outside your scope (own: yourself only)` },
    });
    expect(await call(colleague, 'recording:pause', { callId: 'no-such-call' })).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'callId: no live call no-such-call' },
    });
  });
});

describe('take over', () => {
  it('the agent leaves for wrap-up, the call stays with the supervisor; stopping it ends the call and every session on it', async () => {
    const agent = await agentOnCall(t.server, 'agent.support');
    const notices = collect<SupervisionNotice>(agent.socket, 'notice:supervision');
    const wrapUp = waitForPhone(agent.socket, (p) => p.state === 'wrapUp');
    const monitorEnds = collect<SupervisionEnded>(t.admin, 'supervise:ended');
    const manager = (await connectAs(t.server.url, 'manager.support')).socket;
    await ok(manager, 'supervise:start', { agentId: agent.userId, mode: 'monitor' });
    expect(await call(manager, 'supervise:start', { agentId: agent.userId, mode: 'takeOver' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'Your profile (Manager) does not hold Take Over (live.takeOver)' },
    });
    const { session } = await ok(t.admin, 'supervise:start', { agentId: agent.userId, mode: 'takeOver' });
    expect((await wrapUp).call).toBeNull();
    expect(t.server.floor.takenOverCall(agent.callId)).toMatchObject({ agentId: agent.userId, sessionId: session.sessionId });
    // The agent who left the call is still told of it after a reconnect.
    const resync = await ok(agent.socket, 'agent:attach', {});
    expect(resync.supervisions.map((n) => n.mode)).toEqual(['monitor', 'takeOver']);
    const board = await ok(manager, 'board:subscribe', {});
    expect(board.takenOver.map((t) => [t.call.callId, t.supervisorId])).toEqual([[agent.callId, session.supervisorId]]);

    const managerEnds = collect<SupervisionEnded>(manager, 'supervise:ended');
    await ok(t.admin, 'supervise:stop', { sessionId: session.sessionId });
    await until(() => managerEnds.length === 1 && monitorEnds.length === 1);
    expect(monitorEnds[0]!.reason).toBe('stopped');
    expect(managerEnds[0]!.reason).toBe('taken-over-ended');
    expect(t.server.floor.takenOverCall(agent.callId)).toBeUndefined();
    await until(() => notices.length === 4);
    expect(notices.map((n) => [n.phase, n.mode, n.reason])).toEqual([
      ['started', 'monitor', null],
      ['started', 'takeOver', null],
      ['ended', 'takeOver', 'stopped'],
      ['ended', 'monitor', 'taken-over-ended'],
    ]);
  });
});

describe('help requests', () => {
  it('reach the supervisors whose scope holds the agent; one acknowledges and the others and the agent see it', async () => {
    const agent = await agentOnCall(t.server, 'agent.billing');
    const manager = await connectAs(t.server.url, 'manager.billing');
    const trainer = (await connectAs(t.server.url, 'trainer')).socket;
    const salesManager = (await connectAs(t.server.url, 'manager.sales')).socket;
    const seen = {
      manager: collect<HelpRequestView>(manager.socket, 'help:update'),
      trainer: collect<HelpRequestView>(trainer, 'help:update'),
      sales: collect<HelpRequestView>(salesManager, 'help:update'),
      agent: collect<HelpRequestView>(agent.socket, 'help:update'),
    };
    const { help } = await ok(agent.socket, 'help:request', { message: 'Customer asks for a refund over my limit' });
    expect(await call(agent.socket, 'help:ack', { helpId: help.helpId })).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'You cannot acknowledge your own help request' },
    });
    expect(help).toMatchObject({
      agent: { id: agent.userId },
      callId: agent.callId,
      message: 'Customer asks for a refund over my limit',
      acknowledgedBy: null,
    });
    await until(() => seen.manager.length === 1 && seen.trainer.length === 1);
    expect(seen.sales).toEqual([]);
    expect(await call(salesManager, 'help:ack', { helpId: help.helpId })).toMatchObject({ ok: false, error: { code: 'OUT_OF_SCOPE' } });
    await ok(manager.socket, 'help:ack', { helpId: help.helpId });
    await until(() => seen.trainer.length === 2 && seen.agent.length === 2);
    expect(seen.trainer[1]!.acknowledgedBy).toEqual({ id: manager.login.me.id, name: manager.login.me.displayName });
    expect(await call(trainer, 'help:ack', { helpId: help.helpId })).toEqual({
      ok: false,
      error: { code: 'CONFLICT', message: `${manager.login.me.displayName} already acknowledged this help request` },
    });
    const { records } = await ok(t.admin, 'audit:query', { action: 'help:', limit: 10 });
    expect(records.map((r) => [r.action, r.outcome, r.code])).toEqual([
      ['help:ack', 'refused', 'CONFLICT'],
      ['help:ack', 'ok', null],
      ['help:ack', 'denied', 'OUT_OF_SCOPE'],
      ['help:ack', 'denied', 'FORBIDDEN'],
      ['help:request', 'ok', null],
    ]);
  });
});

describe('the agent plugin connection', () => {
  it('a reconnecting agent receives the sessions active on its call in its resync', async () => {
    const { token } = await login(t.server.url, 'agent.sales');
    const first = await connect(t.server.url, token);
    await ok(first, 'agent:attach', {});
    await ok(first, 'agent:status', { status: 'available' });
    const id = await userId(t.server, 'agent.sales');
    const ringing = waitForPhone(first, (p) => p.state === 'ringing');
    t.server.simulator!.placeCall({ toUserId: id });
    t.server.simulator!.tick();
    const callId = (await ringing).call!.callId;
    await ok(first, 'call:answer', { callId });
    const manager = await connectAs(t.server.url, 'manager.sales');
    const { session } = await ok(manager.socket, 'supervise:start', { agentId: id, mode: 'coach' });

    first.disconnect();
    const again = await connect(t.server.url, token);
    const resync = await ok(again, 'agent:attach', {});
    expect(resync.phone).toMatchObject({ state: 'talking', call: { callId } });
    expect(resync.notificationsEnabled).toBe(true);
    expect(resync.supervisions).toEqual([
      {
        sessionId: session.sessionId,
        callId,
        supervisor: { id: manager.login.me.id, name: manager.login.me.displayName },
        mode: 'coach',
        phase: 'started',
        reason: null,
        at: session.since,
      },
    ]);
    // Past the grace, the session is still there: the agent came back in time.
    await new Promise((r) => setTimeout(r, 400)); // the test grace is 300 ms
    expect(t.server.floor.supervision.session(session.sessionId)?.mode).toBe('coach');
  });

  it('an agent whose plugin stays away past the grace is logged out and its sessions end agent-disconnected', async () => {
    const agent = await agentOnCall(t.server, 'agent.billing');
    const manager = (await connectAs(t.server.url, 'manager.billing')).socket;
    const ends = collect<SupervisionEnded>(manager, 'supervise:ended');
    await ok(manager, 'supervise:start', { agentId: agent.userId, mode: 'monitor' });
    agent.socket.disconnect();
    await until(() => ends.length === 1, 3000, 'agent-disconnected');
    expect(ends[0]!.reason).toBe('agent-disconnected');
    expect(t.server.floor.phoneOf(agent.userId).state).toBe('loggedOut');
  });

  it('an agent without Live Monitoring Notifications gets no supervision notice, but recording notices', async () => {
    const agent = await agentOnCall(t.server, 'privileged.support');
    const supervision = collect<SupervisionNotice>(agent.socket, 'notice:supervision');
    const recording = collect<RecordingNotice>(agent.socket, 'notice:recording');
    const manager = (await connectAs(t.server.url, 'manager.support')).socket;
    const { session } = await ok(manager, 'supervise:start', { agentId: agent.userId, mode: 'monitor' });
    await ok(manager, 'recording:start', { callId: agent.callId });
    await until(() => recording.length === 1);
    // Nor does their own phone name the supervisor: not in acks, not in pushes (to their other desktop; the
    // asking socket reads its answer and is pushed nothing).
    const otherDesktop = (await connectAs(t.server.url, 'privileged.support')).socket;
    const phones = collect<{ phone: { call: { supervisions: unknown[] } | null } }>(otherDesktop, 'agent:phone');
    const pushedToAsker = collect<unknown>(agent.socket, 'agent:phone');
    const held = await ok(agent.socket, 'call:hold', { callId: agent.callId });
    expect(held.phone.call!.supervisions).toEqual([]);
    await until(() => phones.length === 1);
    expect(phones[0]!.phone.call!.supervisions).toEqual([]);
    expect(pushedToAsker).toEqual([]);
    otherDesktop.disconnect();
    expect(t.server.floor.phoneOf(agent.userId).call!.supervisions).toHaveLength(1);
    await ok(manager, 'supervise:stop', { sessionId: session.sessionId });
    await new Promise((r) => setTimeout(r, 100));
    expect(supervision).toEqual([]);
    const resync = await ok(agent.socket, 'agent:attach', {});
    expect(resync).toMatchObject({ notificationsEnabled: false, supervisions: [] });
  });

  it('status changes: not ready needs a reason; a call action names a call that is not the agent\u2019s', async () => {
    const { socket } = await connectAs(t.server.url, 'agent.support');
    await ok(socket, 'agent:attach', {});
    expect(await call(socket, 'agent:status', { status: 'notReady' })).toEqual({
      ok: false,
      error: { code: 'INVALID', message: 'A reason is needed to go Not ready.' },
    });
    const r = await ok(socket, 'agent:status', { status: 'notReady', reason: 'Lunch' });
    expect(r.phone).toMatchObject({ state: 'notReady', notReadyReason: 'Lunch' });
    expect(await call(socket, 'call:answer', { callId: 'call-x' })).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'callId: call-x is not your current call' },
    });
    const manager = (await connectAs(t.server.url, 'manager.support')).socket;
    expect(await call(manager, 'agent:status', { status: 'available' })).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'Your profile (Manager) does not hold Handle Calls (calls.handle)' },
    });
    // Working one's own phone is the phone's history, not an audit event; every refusal is audited.
    const { records } = await ok(t.admin, 'audit:query', { action: 'agent:status' });
    expect(records.map((r) => [r.outcome, r.code])).toEqual([
      ['denied', 'FORBIDDEN'],
      ['refused', 'INVALID'],
    ]);
    expect((await ok(t.admin, 'audit:query', { action: 'call:answer' })).records.map((r) => [r.outcome, r.code])).toEqual([['refused', 'NOT_FOUND']]);
  });
});

describe('idempotent supervisor actions', () => {
  it('a repeated requestId returns the first answer without acting twice', async () => {
    const agent = await agentOnCall(t.server, 'agent.billing');
    const notices = collect<SupervisionNotice>(agent.socket, 'notice:supervision');
    const manager = (await connectAs(t.server.url, 'manager.billing')).socket;
    const [a, b] = await Promise.all([
      call(manager, 'supervise:start', { agentId: agent.userId, mode: 'monitor', requestId: 'r-1' }),
      call(manager, 'supervise:start', { agentId: agent.userId, mode: 'monitor', requestId: 'r-1' }),
    ]);
    expect(a.ok).toBe(true);
    expect(b).toEqual(a);
    const c = await call(manager, 'supervise:start', { agentId: agent.userId, mode: 'monitor', requestId: 'r-1' });
    expect(c).toEqual(a);
    await new Promise((r) => setTimeout(r, 50));
    expect(notices).toHaveLength(1);
    const { records } = await ok(t.admin, 'audit:query', { action: 'supervise:start' });
    expect(records).toHaveLength(1);
  });
});

describe('npm start', () => {
  it("on a fresh data directory shows simulated calls flowing in its log within 10 s: JSON (not a terminal), each call at debug, by ids, with no one's name", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-start-'));
    const child = spawn(process.execPath, ['server/dist/main.js'], {
      cwd: join(import.meta.dirname, '../..'),
      env: { ...process.env, PORT: '0', DATA_DIR: dir, PASSWORD_HASH_COST: '1024', SIM_SEED: '7', LOG_LEVEL: 'debug' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (out += String(d)));
    const logLines = () =>
      out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    try {
      await until(() => /"msg":"call rings"/.test(out) && /"msg":"call answered"/.test(out), 10_000, 'call log lines').catch((e: Error) => {
        throw new Error(`${e.message}; the server printed:
${out.slice(0, 2000)}`);
      });
      expect(out).toMatch(/Earshot is running at http:\/\/127\.0\.0\.1:\d+/);
      expect(out).toMatch(/ {2}desktop agent \(for agents\): http:\/\/127\.0\.0\.1:\d+\/agent\//);
      expect(out).toContain('Password for every demo login: earshot-demo');
      const lines = logLines();
      expect(lines.find((l) => l.msg === 'telephony simulator started')).toMatchObject({
        level: 30,
        agents: 15,
        callsPerMinute: 20,
        queues: 'Billing,Sales,Support',
      });
      const rings = lines.find((l) => l.msg === 'call rings')!;
      expect(rings).toMatchObject({ level: 20, callId: expect.any(String), agentId: expect.any(Number), queue: expect.any(String) });
      expect(lines.find((l) => l.msg === 'call answered')).toMatchObject({ level: 20, callId: expect.any(String), agentId: expect.any(Number) });
      // The demo floor's people, by the names the log must not hold.
      const db = new Database(join(dir, DATABASE_FILE), { readonly: true });
      const names = (db.prepare('SELECT display_name AS name FROM users').all() as { name: string }[]).map((r) => r.name);
      db.close();
      expect(names).toContain('Alex Admin');
      const logged = lines.map((l) => JSON.stringify(l));
      expect(names.filter((name) => logged.some((l) => l.includes(name)))).toEqual([]);
    } finally {
      child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
