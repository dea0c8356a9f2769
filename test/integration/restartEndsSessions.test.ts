import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentPhoneState, SupervisionEnded, SupervisionNotice } from '@earshot/shared';
import { afterEach, expect, it } from 'vitest';
import { io as connectSocket } from 'socket.io-client';
import { closeAllSockets, connect, login, nextEvent, ok, type ClientSocket } from '../support/harness.js';
import { collect, until, waitForPhone } from '../support/floor.js';

const ROOT = join(import.meta.dirname, '../..');
const MAIN = join(ROOT, 'server/dist/main.js');

/** `node server/dist/main.js` on `dataDir`; resolves with its URL once it listens. */
async function startProcess(dataDir: string): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      DATA_DIR: dataDir,
      PASSWORD_HASH_COST: '1024',
      LOG_LEVEL: 'info',
      // No simulated agents: every call goes to the real agent who is available, and lasts.
      SIM_AGENTS: '0',
      SIM_ARRIVALS_PER_MINUTE: '600',
      SIM_HANDLE_SECONDS: '3600',
      SIM_SEED: '7',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (out += String(d)));
  children.push(child);
  await until(() => /Earshot is running at (\S+)/.test(out) || child.exitCode !== null, 20_000, 'the server to listen').catch((e: Error) => {
    throw new Error(`${e.message}; it printed:\n${out.slice(0, 2000)}`);
  });
  const url = /Earshot is running at (\S+)/.exec(out)?.[1];
  if (!url) throw new Error(`the server did not start; it printed:\n${out.slice(0, 2000)}`);
  return { child, url, output: () => out };
}

/**
 * Connects with the listener for `event` already in place, as a client app does (a push sent on connect
 * may arrive in the same read as the connection's acceptance).
 */
async function connectListening<T>(url: string, token: string, event: string): Promise<{ socket: ClientSocket; seen: T[] }> {
  const socket: ClientSocket = connectSocket(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  raw.push(socket);
  const seen: T[] = [];
  (socket as unknown as { on(e: string, f: (p: T) => void): void }).on(event, (p: T) => seen.push(p));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(err));
  });
  return { socket, seen };
}

const raw: ClientSocket[] = [];
const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  closeAllSockets();
  for (const s of raw.splice(0)) s.close();
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

it('sessions open when the server is killed (SIGKILL) end at the next start: the agent and the supervisor are told server-restarted, one audit record each', {
  timeout: 90_000,
}, async () => {
  if (!existsSync(MAIN)) throw new Error('The server is not built: run "npm run build" (npm test does) first');
  const dataDir = mkdtempSync(join(tmpdir(), 'earshot-restart-'));
  dirs.push(dataDir);

  const first = await startProcess(dataDir);
  const agentLogin = await login(first.url, 'agent.billing');
  const managerLogin = await login(first.url, 'manager.billing');
  const agent = await connect(first.url, agentLogin.token);
  await ok(agent, 'agent:attach', {});
  const ringing = waitForPhone(agent, (p: AgentPhoneState) => p.state === 'ringing', 10_000);
  await ok(agent, 'agent:status', { status: 'available' });
  const callId = (await ringing).call!.callId;
  await ok(agent, 'call:answer', { callId });
  const manager = await connect(first.url, managerLogin.token);
  const started = nextEvent<SupervisionNotice>(agent, 'notice:supervision');
  const { session } = await ok(manager, 'supervise:start', { agentId: agentLogin.me.id, mode: 'coach' });
  expect(await started).toMatchObject({ sessionId: session.sessionId, phase: 'started' });

  first.child.kill('SIGKILL');
  await until(() => first.child.exitCode !== null || first.child.signalCode !== null, 10_000, 'the server to die');
  closeAllSockets();

  const second = await startProcess(dataDir);
  // The logins outlive the process (they are in the store): the same tokens connect again.
  const agentAgain = await connect(second.url, agentLogin.token);
  const agentNotices = collect<SupervisionNotice>(agentAgain, 'notice:supervision');
  const resync = await ok(agentAgain, 'agent:attach', {});
  expect(resync.supervisions).toEqual([]);
  await until(() => agentNotices.length === 1, 5000, "the agent's ended notice");
  expect(agentNotices[0]).toMatchObject({
    sessionId: session.sessionId,
    callId,
    phase: 'ended',
    mode: 'coach',
    reason: 'server-restarted',
    supervisor: { id: managerLogin.me.id, name: managerLogin.me.displayName },
  });

  const { socket: managerAgain, seen: managerEnds } = await connectListening<SupervisionEnded>(second.url, managerLogin.token, 'supervise:ended');
  await until(() => managerEnds.length === 1, 5000, "the supervisor's supervise:ended");
  const ended = managerEnds[0]!;
  expect(ended).toMatchObject({ sessionId: session.sessionId, callId, agentId: agentLogin.me.id, mode: 'coach', reason: 'server-restarted' });
  expect((await ok(managerAgain, 'supervise:mine', {})).sessions).toEqual([]);

  const admin = await connect(second.url, (await login(second.url, 'admin')).token);
  const records = async () => (await ok(admin, 'audit:query', { action: 'supervise:ended' })).records;
  expect((await records()).map((r) => [r.actorId, r.targetId, r.detail.sessionId, r.detail.reason])).toEqual([
    [null, String(agentLogin.me.id), session.sessionId, 'server-restarted'],
  ]);

  // Told once: a later connection and a clean restart bring no second end and no second record.
  second.child.kill('SIGTERM');
  await until(() => second.child.exitCode !== null, 10_000, 'the server to stop');
  closeAllSockets();
  const third = await startProcess(dataDir);
  const { socket: managerThird, seen: more } = await connectListening<SupervisionEnded>(third.url, managerLogin.token, 'supervise:ended');
  await ok(managerThird, 'supervise:mine', {});
  const agentThird = await connect(third.url, agentLogin.token);
  const moreNotices = collect<SupervisionNotice>(agentThird, 'notice:supervision');
  await ok(agentThird, 'agent:attach', {});
  await ok(agentThird, 'supervise:mine', {});
  expect(more).toEqual([]);
  expect(moreNotices).toEqual([]);
  const adminThird = await connect(third.url, (await login(third.url, 'admin')).token);
  expect((await ok(adminThird, 'audit:query', { action: 'supervise:ended' })).records).toHaveLength(1);
});
