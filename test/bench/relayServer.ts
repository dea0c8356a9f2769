/**
 * The baseline: a bare socket.io relay, no auth, no domain, no store. Clients name the rooms they listen
 * to in the handshake; a status change is forwarded once to the agent's team rooms and `all` (the same
 * receivers the Earshot board reaches), a supervision start or stop is forwarded to the agent's room.
 * It carries the same calls as the Earshot server's simulator too (SIM_ARRIVALS_PER_MINUTE, Poisson, offered
 * to the agent available longest; talk time exponential with mean SIM_HANDLE_SECONDS): each ring, answer,
 * hang-up and wrap-up is forwarded as Earshot's are, to the agent (`agent:phone` when the agent did not ask,
 * the ack when it did) and to the same rooms, so that both targets write the same messages to the same
 * receivers, and the ratio measures what Earshot adds to them, not the calls' traffic.
 * Run in its own process: `node --import tsx test/bench/relayServer.ts` (PORT, HOST, the SIM_ settings and
 * RELAY_AUDIT_DIR from env); it prints `relay listening on <port>`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AgentPhoneState, Call, PhoneStateName, SupervisionMode } from '@earshot/shared';
import { Server } from 'socket.io';

interface RelayIdentity {
  userId: number;
  displayName: string;
  teamIds: number[];
  listen: string[];
}

type AckFn = (r: unknown) => void;

/**
 * The audited relay (`RELAY_AUDIT_DIR`, the bench's `--relay-audited`): Earshot's own store in that folder, and
 * each supervision start or stop commits what Earshot commits for it (the open session's row and the audit
 * record, one transaction) before its notice, and its ack waits until that is on disk. Nothing else of
 * Earshot's: the floor under any server that audits a start before telling the agent.
 */
const auditDir = process.env.RELAY_AUDIT_DIR;
const audited = auditDir ? (await import('../../server/src/store/sqliteStore.js')).openSqliteStore(auditDir).store : null;

/**
 * Commits `change` and the supervisor's audit record of `action` on `sessionId` now, in one transaction (the
 * audited relay); the promise resolves once they are on disk. The bare relay: nothing.
 */
function commitAudited(
  supervisor: RelayIdentity,
  record: { action: 'supervise:start' | 'supervise:stop'; sessionId: string; detail: Record<string, unknown>; at: number },
  change: (store: NonNullable<typeof audited>) => void,
): Promise<void> {
  if (!audited) return Promise.resolve();
  audited.transaction(() => {
    change(audited);
    audited.audit.append({
      at: record.at,
      actorId: supervisor.userId,
      actorName: supervisor.displayName,
      action: record.action,
      targetType: 'session',
      targetId: record.sessionId,
      outcome: 'ok',
      code: null,
      detail: record.detail,
    });
  });
  return audited.durable();
}

const http = createServer();
const io = new Server(http, { serveClient: false });
const sessionAgents = new Map<string, number>();
let sessionCounter = 0;

type Phone = AgentPhoneState;
interface RelayAgent {
  me: RelayIdentity;
  publishTo: string[];
  phone: Phone;
}
const agents = new Map<number, RelayAgent>();
const arrivalsPerMinute = Number(process.env.SIM_ARRIVALS_PER_MINUTE ?? 0);
const meanHandleMs = Number(process.env.SIM_HANDLE_SECONDS ?? 20) * 1000;
let callCount = 0;
let waitingCalls = 0;

/** A phone change, forwarded as Earshot's are: the board rooms, and the agent unless it asked (its ack carries it). */
function setPhone(agent: RelayAgent, phone: Omit<Phone, 'userId' | 'since'>, pushToAgent: boolean): Phone {
  const now = Date.now();
  agent.phone = { userId: agent.me.userId, since: now, ...phone };
  const entry = { userId: agent.me.userId, displayName: agent.me.displayName, teamIds: agent.me.teamIds, phone: agent.phone };
  io.to(agent.publishTo).emit('board:delta', { entry, at: now });
  if (pushToAgent) io.to(`user:${agent.me.userId}`).emit('agent:phone', { phone: agent.phone });
  return agent.phone;
}

/** The available agent who has waited longest, as the simulator offers calls. */
function longestAvailable(): RelayAgent | null {
  let best: RelayAgent | null = null;
  for (const a of agents.values()) if (a.phone.state === 'available' && (!best || a.phone.since < best.phone.since)) best = a;
  return best;
}

function offer(): void {
  const agent = longestAvailable();
  if (!agent) return void waitingCalls++;
  const now = Date.now();
  const call: Call = {
    callId: `relay-call-${++callCount}`,
    direction: 'inbound',
    remoteNumberMasked: '•••• 4821',
    queue: 'billing',
    startedAt: now,
    recording: 'off',
    supervisions: [],
  };
  setPhone(agent, { state: 'ringing', notReadyReason: null, call }, true);
}

function nextArrival(): void {
  if (arrivalsPerMinute <= 0) return;
  setTimeout(
    () => {
      offer();
      nextArrival();
    },
    (-Math.log(1 - Math.random()) * 60_000) / arrivalsPerMinute,
  ).unref();
}
nextArrival();

function hangUp(agent: RelayAgent, callId: string, pushToAgent: boolean): Phone | null {
  if (agent.phone.call?.callId !== callId) return null;
  return setPhone(agent, { state: 'wrapUp', notReadyReason: null, call: null }, pushToAgent);
}

io.on('connection', (socket) => {
  const me = (socket.handshake.auth as { relay?: RelayIdentity }).relay ?? { userId: 0, displayName: '', teamIds: [], listen: [] };
  void socket.join(me.listen);
  const publishTo = [...me.teamIds.map((t) => `team:${t}`), 'all'];

  const agent: RelayAgent = agents.get(me.userId) ?? {
    me,
    publishTo,
    phone: { userId: me.userId, state: 'loggedOut', notReadyReason: null, since: 0, call: null },
  };
  // Agents name their team; supervisors none.
  if (me.teamIds.length > 0) agents.set(me.userId, agent);

  socket.on('agent:status', (p: { status: PhoneStateName; reason?: string }, ack: AckFn) => {
    const phone = setPhone(agent, { state: p.status, notReadyReason: p.reason ?? null, call: null }, false);
    ack({ ok: true, data: { phone } });
    if (p.status === 'available' && waitingCalls > 0) {
      waitingCalls--;
      offer();
    }
  });

  socket.on('call:answer', (p: { callId: string }, ack: AckFn) => {
    const call = agent.phone.call;
    if (agent.phone.state !== 'ringing' || call?.callId !== p.callId) return ack({ ok: false, error: { code: 'CONFLICT', message: 'not ringing' } });
    const phone = setPhone(agent, { state: 'talking', notReadyReason: null, call }, false);
    ack({ ok: true, data: { phone } });
    setTimeout(() => hangUp(agent, call.callId, true), -Math.log(1 - Math.random()) * meanHandleMs).unref();
  });

  socket.on('call:hangUp', (p: { callId: string }, ack: AckFn) => {
    const phone = hangUp(agent, p.callId, false);
    ack(phone ? { ok: true, data: { phone } } : { ok: false, error: { code: 'CONFLICT', message: 'not on that call' } });
  });

  socket.on('supervise:start', async (p: { agentId: number; mode: string }, ack: AckFn) => {
    const now = Date.now();
    const sessionId = `relay-${++sessionCounter}`;
    sessionAgents.set(sessionId, p.agentId);
    const supervisor = { id: me.userId, name: me.displayName };
    const detail = { input: p, sessionId, callId: 'relay', mode: p.mode };
    const durable = commitAudited(me, { action: 'supervise:start', sessionId, detail, at: now }, (store) =>
      store.supervisions.opened({
        sessionId,
        callId: 'relay',
        agentId: p.agentId,
        supervisor,
        mode: p.mode as SupervisionMode,
        startedAt: now,
        modeSince: now,
        nodeId: null,
      }),
    );
    io.to(`user:${p.agentId}`).emit('notice:supervision', { sessionId, callId: 'relay', supervisor, mode: p.mode, phase: 'started', reason: null, at: now });
    await durable;
    ack({ ok: true, data: { session: { sessionId, agentId: p.agentId, supervisorId: me.userId, mode: p.mode, since: now } } });
  });

  socket.on('supervise:stop', async (p: { sessionId: string }, ack: AckFn) => {
    const now = Date.now();
    const agentId = sessionAgents.get(p.sessionId);
    sessionAgents.delete(p.sessionId);
    const supervisor = { id: me.userId, name: me.displayName };
    const durable = commitAudited(me, { action: 'supervise:stop', sessionId: p.sessionId, detail: { input: p }, at: now }, (store) =>
      store.supervisions.closed(p.sessionId),
    );
    if (agentId !== undefined) {
      io.to(`user:${agentId}`).emit('notice:supervision', {
        sessionId: p.sessionId,
        callId: 'relay',
        supervisor,
        mode: 'monitor',
        phase: 'ended',
        reason: 'stopped',
        at: now,
      });
    }
    await durable;
    ack({ ok: true, data: { sessionId: p.sessionId } });
  });

  // Everything else (attach, subscribe): acknowledged, nothing to do.
  const handled = new Set(['agent:status', 'call:answer', 'call:hangUp', 'supervise:start', 'supervise:stop']);
  socket.onAny((event: string, ...args: unknown[]) => {
    if (handled.has(event)) return;
    const ack = args[args.length - 1];
    if (typeof ack === 'function')
      ack({ ok: true, data: event === 'board:subscribe' ? { seq: 0, entries: [], teams: [], takenOver: [], at: Date.now() } : {} });
  });
});

http.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  console.log(`relay listening on ${(http.address() as AddressInfo).port}`);
});

const stop = () => {
  void io.close();
  http.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
