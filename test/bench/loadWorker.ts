/**
 * One load-generator process: a share of the agents and supervisors, each on its own socket.io
 * connection. Driven by the bench runner over IPC (workerProtocol.ts). It speaks the same events to the
 * Earshot server and to the bare relay, so both are measured with the same client code.
 *
 * Status agents alternate notReady (reason `b<k>`, k even) and available (k odd): a board that sees
 * notReady `b<k>` and then available knows that available is change k+1, so every receipt names its
 * change without any extra field on the wire, and a board that skips or repeats a number shows it.
 */
import type { Ack, AgentPhoneState, BoardDelta, SupervisionEnded, SupervisionNotice } from '@earshot/shared';
import { io, type Socket } from 'socket.io-client';
import { LatencyHistogram, monotonicUs } from './latencyHistogram.js';
import type {
  Analysis,
  Collected,
  PhaseResult,
  Progress,
  RunWindow,
  SendTable,
  TargetInfo,
  WorkerAgent,
  WorkerCommand,
  WorkerReply,
  WorkerSupervisor,
} from './workerProtocol.js';

/** The same client speaks to both targets, so its events are not typed by either. */
type AnySocket = Socket;

/** Connections opened at once per worker: enough to connect 4,000 in seconds without a handshake storm. */
const CONNECT_CONCURRENCY = 64;
const ACK_TIMEOUT_MS = 30_000;
const STATUS_REASON = /^b(\d+)$/;

interface AgentConn {
  spec: WorkerAgent;
  socket: AnySocket | null;
  nextK: number;
  pending: boolean;
  onCall: boolean;
}

interface StatusTrack {
  lastK: number;
  lastEvenK: number;
  availableAttributed: boolean;
}

interface SupervisorConn {
  spec: WorkerSupervisor;
  socket: AnySocket | null;
  lastSeq: number;
  callAgents: Set<number>;
  /** The call agents in scope that can be supervised now (talking, nobody on the call). */
  free: Set<number>;
  tracks: Map<number, StatusTrack>;
  busy: boolean;
  session: string | null;
  sessionAgentId: number;
  sessionEnded: boolean;
}

/** A growable column of numbers (typed, so 5 million receipts stay compact). */
class Column<T extends Int32Array | Float64Array> {
  length = 0;
  constructor(
    private data: T,
    private readonly make: (n: number) => T,
  ) {}
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = this.make(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  get(i: number): number {
    return this.data[i]!;
  }
  toArray(): T {
    return this.data.slice(0, this.length) as T;
  }
}
const ints = () => new Column(new Int32Array(1024), (n) => new Int32Array(n));
const floats = () => new Column(new Float64Array(1024), (n) => new Float64Array(n));

let target: TargetInfo;
let agents: AgentConn[] = [];
let supervisors: SupervisorConn[] = [];
let runWindow: RunWindow | null = null;

const sends = { agentIds: ints(), ks: ints(), sendUs: floats(), sendWallMs: floats() };
// Wall-clock times beside the monotonic ones: with the delta's server time (`at`, Date.now() on the same
// machine) they split a latency into before and after the server applied the change.
const receipts = { agentIds: ints(), ks: ints(), recvUs: floats(), recvWallMs: floats(), serverAtMs: floats() };
const supervisionStarts: Collected['supervisionStarts'] = [];
const notices: Collected['notices'] = [];
const ackStatus = new LatencyHistogram();
const ackStart = new LatencyHistogram();
const ackStop = new LatencyHistogram();
const counters: Record<string, number> = {};
const deltasByUrl: Record<string, number> = {};
let outOfOrder = 0;
let skipped = 0;
let seqGaps = 0;
let seqBackwards = 0;
let closing = false;

const count = (name: string, n = 1) => void (counters[name] = (counters[name] ?? 0) + n);
const inWindow = (us: number) => runWindow !== null && us >= runWindow.measureFromUs && us < runWindow.endUs;

function emitAck<T>(socket: AnySocket, event: string, payload: unknown, done: (ack: Ack<T>) => void): void {
  socket.timeout(ACK_TIMEOUT_MS).emit(event, payload, (err: Error | null, ack: Ack<T>) => {
    done(err ? { ok: false, error: { code: 'INTERNAL', message: `no ack for ${event}` } } : ack);
  });
}

function call<T>(socket: AnySocket, event: string, payload: unknown): Promise<Ack<T>> {
  return new Promise((resolve) => emitAck<T>(socket, event, payload, resolve));
}

function open(auth: Record<string, unknown>, url = target.url): Promise<AnySocket> {
  const socket = io(url, { transports: ['websocket'], auth, reconnection: false, forceNew: true, timeout: 60_000 });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (e) => {
      socket.close();
      reject(e);
    });
  });
}

/** Runs `task` over `items`, at most `limit` at a time. */
async function inBatches<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

function authFor(spec: WorkerAgent | WorkerSupervisor, role: 'agent' | 'supervisor'): Record<string, unknown> {
  if (target.kind === 'earshot') return { token: spec.token };
  // The relay knows nothing: the client names the rooms it listens to.
  if (role === 'agent') {
    const a = spec as WorkerAgent;
    return { relay: { userId: a.id, displayName: a.displayName, teamIds: [a.teamId], listen: [`user:${a.id}`] } };
  }
  const s = spec as WorkerSupervisor;
  return {
    relay: {
      userId: s.id,
      displayName: s.displayName,
      teamIds: [],
      listen: [`user:${s.id}`, ...(s.scope === 'all' ? ['all'] : s.teamIds.map((t) => `team:${t}`))],
    },
  };
}

// ── Agents ─────────────────────────────────────────────────────────────────────────────────────────────

async function connectAgent(a: AgentConn, result: PhaseResult): Promise<void> {
  try {
    const socket = await open(authFor(a.spec, 'agent'), a.spec.url);
    a.socket = socket;
    socket.on('disconnect', (reason) => {
      if (!closing) count(`agent disconnected (${reason})`);
    });
    socket.on('agent:phone', (p: { phone: AgentPhoneState }) => onAgentPhone(a, p.phone));
    socket.on('notice:supervision', (n: SupervisionNotice) => notices.push({ sessionId: n.sessionId, phase: n.phase, recvUs: monotonicUs() }));
    const attach = await call(socket, 'agent:attach', {});
    if (!attach.ok) throw new Error(`agent:attach: ${attach.error.code} ${attach.error.message}`);
    if (a.spec.role === 'status') {
      const r = await call(socket, 'agent:status', { status: 'notReady', reason: 'Warming up' });
      if (!r.ok) throw new Error(`agent:status: ${r.error.code} ${r.error.message}`);
    }
    result.ok++;
  } catch (e) {
    result.failed++;
    if (result.errors.length < 5) result.errors.push(`agent ${a.spec.id}: ${(e as Error).message}`);
  }
}

/** The agent's own phone: call agents answer what rings; a status agent offered a call answers and ends it. */
function onAgentPhone(a: AgentConn, phone: AgentPhoneState): void {
  const socket = a.socket!;
  switch (phone.state) {
    case 'ringing': {
      a.onCall = true;
      if (a.spec.role === 'status') count('calls offered to status agents');
      const callId = phone.call!.callId;
      emitAck(socket, 'call:answer', { callId }, (r) => {
        if (!r.ok) {
          count(`call:answer ${r.error.code}`);
          return;
        }
        count('calls answered');
        if (a.spec.role === 'status') emitAck(socket, 'call:hangUp', { callId }, () => undefined);
      });
      break;
    }
    case 'talking':
    case 'held':
      a.onCall = true;
      break;
    case 'wrapUp':
      a.onCall = false;
      // Call agents are ready for the next call at once; status agents leave wrap-up with their next change.
      if (a.spec.role === 'call' && !closing)
        emitAck(socket, 'agent:status', { status: 'available' }, (r) => void (r.ok || count(`call agent available ${r.error.code}`)));
      break;
    default:
      a.onCall = false;
  }
}

function sendStatus(a: AgentConn): void {
  const k = a.nextK;
  const payload = k % 2 === 0 ? { status: 'notReady', reason: `b${k}` } : { status: 'available' };
  a.pending = true;
  const sendWallMs = Date.now();
  const sendUs = monotonicUs();
  emitAck(a.socket!, 'agent:status', payload, (r) => {
    const ackUs = monotonicUs();
    a.pending = false;
    if (!r.ok) {
      // A call rang in between (CONFLICT): the same change number is sent again later.
      count(`agent:status ${r.error.code}`);
      return;
    }
    a.nextK++;
    sends.agentIds.push(a.spec.id);
    sends.ks.push(k);
    sends.sendUs.push(sendUs);
    sends.sendWallMs.push(sendWallMs);
    if (inWindow(sendUs)) ackStatus.add(ackUs - sendUs);
  });
}

/** Status changes at `rate` a second, round robin over this worker's status agents, until `endUs`. */
function runStatusChanges(w: RunWindow): Promise<void> {
  const statusAgents = agents.filter((a) => a.spec.role === 'status' && a.socket);
  let sent = 0;
  let next = 0;
  return new Promise((resolve) => {
    if (statusAgents.length === 0 || w.changesPerSecond <= 0) return resolve();
    const timer = setInterval(() => {
      const now = monotonicUs();
      if (now >= w.endUs) {
        clearInterval(timer);
        return resolve();
      }
      const due = Math.floor(((now - w.startUs) / 1e6) * w.changesPerSecond);
      let scanned = 0;
      while (sent < due && scanned < statusAgents.length) {
        const a = statusAgents[next]!;
        next = (next + 1) % statusAgents.length;
        scanned++;
        if (a.pending || a.onCall) continue;
        sendStatus(a);
        sent++;
        scanned = 0;
      }
      if (sent < due) {
        // Every agent still busy: the change is dropped (and counted), never sent late in a burst.
        count('status changes dropped (every agent busy)', due - sent);
        sent = due;
      }
    }, 1);
  });
}

// ── Supervisors ────────────────────────────────────────────────────────────────────────────────────────

async function connectSupervisor(s: SupervisorConn, result: PhaseResult): Promise<void> {
  try {
    const socket = await open(authFor(s.spec, 'supervisor'), s.spec.url);
    s.socket = socket;
    socket.on('disconnect', (reason) => {
      if (!closing) count(`supervisor disconnected (${reason})`);
    });
    socket.on('board:delta', (d: BoardDelta) => onDelta(s, d));
    // A pushed board (scope changed) renumbers the subscription; the bench changes no scope, so it is counted.
    socket.on('board:snapshot', (snap: { seq: number }) => {
      count('board snapshots pushed');
      s.lastSeq = snap.seq;
    });
    socket.on('supervise:ended', (e: SupervisionEnded) => {
      if (e.sessionId !== s.session || e.reason === 'stopped') return;
      s.sessionEnded = true;
      count(`sessions ended: ${e.reason}`);
    });
    const snap = await call<{ seq: number; entries: { userId: number; phone: AgentPhoneState }[] }>(socket, 'board:subscribe', {});
    if (!snap.ok) throw new Error(`board:subscribe: ${snap.error.code} ${snap.error.message}`);
    s.lastSeq = snap.data.seq;
    if (target.kind === 'earshot') {
      if (snap.data.entries.length !== s.spec.visibleCount) {
        throw new Error(`board shows ${snap.data.entries.length} agents, expected ${s.spec.visibleCount}`);
      }
      for (const e of snap.data.entries) if (s.callAgents.has(e.userId)) trackCall(s, e.userId, e.phone);
    } else {
      // The relay has no calls: any call agent in scope is a target.
      for (const id of s.callAgents) s.free.add(id);
    }
    result.ok++;
  } catch (e) {
    result.failed++;
    if (result.errors.length < 5) result.errors.push(`supervisor ${s.spec.id}: ${(e as Error).message}`);
  }
}

function trackCall(s: SupervisorConn, agentId: number, phone: AgentPhoneState): void {
  if (phone.state === 'talking' && phone.call && phone.call.supervisions.length === 0) s.free.add(agentId);
  else s.free.delete(agentId);
}

function onDelta(s: SupervisorConn, d: BoardDelta): void {
  const recvUs = monotonicUs();
  const recvWallMs = Date.now();
  if (inWindow(recvUs)) {
    const url = s.spec.url ?? target.url;
    deltasByUrl[url] = (deltasByUrl[url] ?? 0) + 1;
  }
  if (typeof d.seq === 'number' && target.kind === 'earshot') {
    if (d.seq <= s.lastSeq) seqBackwards++;
    else if (d.seq !== s.lastSeq + 1) seqGaps += d.seq - s.lastSeq - 1;
    s.lastSeq = Math.max(s.lastSeq, d.seq);
  }
  const entry = d.entry;
  if (!entry) return;
  const phone = entry.phone;
  if (s.callAgents.has(entry.userId)) {
    if (target.kind === 'earshot') trackCall(s, entry.userId, phone);
    return;
  }
  let k: number;
  let track = s.tracks.get(entry.userId);
  if (phone.state === 'notReady') {
    const m = STATUS_REASON.exec(phone.notReadyReason ?? '');
    if (!m) return;
    k = Number(m[1]);
  } else if (phone.state === 'available') {
    // Only the first available after notReady `b<k>` is change k+1 (an abandoned call also ends in available).
    if (!track || track.availableAttributed || track.lastEvenK < 0) return;
    k = track.lastEvenK + 1;
  } else {
    return;
  }
  if (!track) s.tracks.set(entry.userId, (track = { lastK: -1, lastEvenK: -1, availableAttributed: false }));
  if (k <= track.lastK) {
    outOfOrder++;
    return;
  }
  if (track.lastK >= 0 && k > track.lastK + 1) skipped += k - track.lastK - 1;
  track.lastK = k;
  if (k % 2 === 0) {
    track.lastEvenK = k;
    track.availableAttributed = false;
  } else {
    track.availableAttributed = true;
  }
  receipts.agentIds.push(entry.userId);
  receipts.ks.push(k);
  receipts.recvUs.push(recvUs);
  receipts.recvWallMs.push(recvWallMs);
  receipts.serverAtMs.push(d.at);
}

function startSupervision(s: SupervisorConn, agentId: number, w: RunWindow): void {
  s.busy = true;
  s.sessionEnded = false;
  s.sessionAgentId = agentId;
  s.free.delete(agentId);
  const sendUs = monotonicUs();
  emitAck<{ session: { sessionId: string } }>(s.socket!, 'supervise:start', { agentId, mode: 'monitor' }, (r) => {
    const ackUs = monotonicUs();
    if (!r.ok) {
      count(`supervise:start ${r.error.code}`);
      if (target.kind === 'relay') s.free.add(agentId);
      s.busy = false;
      return;
    }
    if (inWindow(sendUs)) ackStart.add(ackUs - sendUs);
    const sessionId = r.data.session.sessionId;
    supervisionStarts.push({ sessionId, sendUs });
    s.session = sessionId;
    setTimeout(() => stopSupervision(s), w.supervisionHoldMs);
  });
}

function stopSupervision(s: SupervisorConn): void {
  // The relay keeps no call state to tell the board the call is free again.
  if (target.kind === 'relay') s.free.add(s.sessionAgentId);
  if (!s.session || s.sessionEnded || !s.socket) {
    s.session = null;
    s.busy = false;
    return;
  }
  const sessionId = s.session;
  const sendUs = monotonicUs();
  emitAck(s.socket, 'supervise:stop', { sessionId }, (r) => {
    if (r.ok) {
      if (inWindow(sendUs)) ackStop.add(monotonicUs() - sendUs);
    } else {
      count(`supervise:stop ${r.error.code}`);
    }
    s.session = null;
    s.busy = false;
  });
}

/** Supervision starts at `rate` a second, round robin over supervisors with a free call in scope. */
function runSupervisions(w: RunWindow): Promise<void> {
  const live = supervisors.filter((s) => s.socket);
  let started = 0;
  let next = 0;
  return new Promise((resolve) => {
    const finish = () => {
      // Let the sessions still open reach their stop (bounded: twice the hold, then give up).
      const until = Date.now() + 2 * w.supervisionHoldMs + 1000;
      const wait = setInterval(() => {
        if (live.every((s) => !s.busy) || Date.now() > until) {
          clearInterval(wait);
          resolve();
        }
      }, 20);
    };
    if (live.length === 0 || w.supervisionsPerSecond <= 0) return finish();
    const timer = setInterval(() => {
      const now = monotonicUs();
      if (now >= w.endUs) {
        clearInterval(timer);
        return finish();
      }
      const due = Math.floor(((now - w.startUs) / 1e6) * w.supervisionsPerSecond);
      let scanned = 0;
      while (started < due && scanned < live.length) {
        const s = live[next]!;
        next = (next + 1) % live.length;
        scanned++;
        if (s.busy || s.free.size === 0) continue;
        const candidates = [...s.free];
        startSupervision(s, candidates[Math.floor(Math.random() * candidates.length)]!, w);
        started++;
        scanned = 0;
      }
      if (started < due) {
        count('supervisions skipped (no free call in any idle supervisor scope)', due - started);
        started = due;
      }
    }, 5);
  });
}

// ── Analysis ───────────────────────────────────────────────────────────────────────────────────────────

function collect(): Collected {
  return {
    sends: { agentIds: sends.agentIds.toArray(), ks: sends.ks.toArray(), sendUs: sends.sendUs.toArray(), sendWallMs: sends.sendWallMs.toArray() },
    supervisionStarts,
    notices,
    receipts: receipts.agentIds.length,
    deltasByUrl,
  };
}

/** Joins this worker's receipts with every worker's sends: state change → supervisor latency. */
function analyze(all: SendTable, measureFromUs: number, endUs: number): Analysis {
  const sentAt = new Map<number, number>();
  for (let i = 0; i < all.agentIds.length; i++) sentAt.set(all.agentIds[i]! * 1e6 + all.ks[i]!, i);
  const h = new LatencyHistogram();
  const toServer = new LatencyHistogram();
  const fromServer = new LatencyHistogram();
  const worstBySecondUs = Array.from({ length: Math.ceil((endUs - measureFromUs) / 1e6) }, () => 0);
  let matched = 0;
  let unmatched = 0;
  for (let i = 0; i < receipts.agentIds.length; i++) {
    const sendIndex = sentAt.get(receipts.agentIds.get(i) * 1e6 + receipts.ks.get(i));
    if (sendIndex === undefined) {
      unmatched++;
      continue;
    }
    const sendUs = all.sendUs[sendIndex]!;
    if (sendUs < measureFromUs || sendUs >= endUs) continue;
    const latencyUs = receipts.recvUs.get(i) - sendUs;
    h.add(latencyUs);
    const second = Math.floor((sendUs - measureFromUs) / 1e6);
    if (latencyUs > worstBySecondUs[second]!) worstBySecondUs[second] = latencyUs;
    toServer.add((receipts.serverAtMs.get(i) - all.sendWallMs[sendIndex]!) * 1000);
    fromServer.add((receipts.recvWallMs.get(i) - receipts.serverAtMs.get(i)) * 1000);
    matched++;
  }
  return {
    stateToSupervisor: h.toData(),
    agentToServer: toServer.toData(),
    serverToSupervisor: fromServer.toData(),
    worstBySecondUs,
    matched,
    unmatched,
    outOfOrder,
    skipped,
    seqGaps,
    seqBackwards,
    ackStatus: ackStatus.toData(),
    ackSuperviseStart: ackStart.toData(),
    ackSuperviseStop: ackStop.toData(),
    counters,
  };
}

// ── Commands ───────────────────────────────────────────────────────────────────────────────────────────

async function handle(cmd: WorkerCommand): Promise<unknown> {
  switch (cmd.type) {
    case 'init': {
      target = cmd.target;
      agents = cmd.agents.map((spec) => ({ spec, socket: null, nextK: 0, pending: false, onCall: false }));
      supervisors = cmd.supervisors.map((spec) => ({
        spec,
        socket: null,
        lastSeq: 0,
        callAgents: new Set(spec.callAgentIds),
        free: new Set(),
        tracks: new Map(),
        busy: false,
        session: null,
        sessionAgentId: 0,
        sessionEnded: false,
      }));
      return { agents: agents.length, supervisors: supervisors.length };
    }
    case 'connectAgents': {
      const result: PhaseResult = { ok: 0, failed: 0, errors: [] };
      const slice = agents.slice(Math.floor(agents.length * cmd.fromShare), Math.floor(agents.length * cmd.toShare));
      await inBatches(slice, CONNECT_CONCURRENCY, (a) => connectAgent(a, result));
      return result;
    }
    case 'connectSupervisors': {
      const result: PhaseResult = { ok: 0, failed: 0, errors: [] };
      await inBatches(supervisors, Math.min(CONNECT_CONCURRENCY, 16), (s) => connectSupervisor(s, result));
      return result;
    }
    case 'callAgentsReady': {
      const result: PhaseResult = { ok: 0, failed: 0, errors: [] };
      await inBatches(
        agents.filter((a) => a.spec.role === 'call' && a.socket),
        CONNECT_CONCURRENCY,
        async (a) => {
          const r = await call(a.socket!, 'agent:status', { status: 'available' });
          if (r.ok) result.ok++;
          else {
            result.failed++;
            if (result.errors.length < 5) result.errors.push(`agent ${a.spec.id}: ${r.error.code} ${r.error.message}`);
          }
        },
      );
      return result;
    }
    case 'run': {
      runWindow = cmd.window;
      await Promise.all([runStatusChanges(cmd.window), runSupervisions(cmd.window)]);
      return { pendingStatus: agents.filter((a) => a.pending).length };
    }
    case 'progress':
      return {
        receipts: receipts.agentIds.length,
        pendingAcks: agents.filter((a) => a.pending).length + supervisors.filter((s) => s.busy).length,
      } satisfies Progress;
    case 'collect':
      return collect();
    case 'analyze':
      return analyze(cmd.sends, cmd.measureFromUs, cmd.endUs);
    case 'close': {
      closing = true;
      for (const a of agents) a.socket?.close();
      for (const s of supervisors) s.socket?.close();
      setTimeout(() => process.exit(0), 50);
      return { closed: true };
    }
  }
}

process.on('message', (raw: { id: number; command: WorkerCommand }) => {
  handle(raw.command).then(
    (data) => process.send!({ type: 'reply', id: raw.id, data } satisfies WorkerReply),
    (e: unknown) => process.send!({ type: 'error', id: raw.id, message: e instanceof Error ? (e.stack ?? e.message) : String(e) } satisfies WorkerReply),
  );
});
// The runner going away ends the worker: no orphaned load generator.
process.on('disconnect', () => process.exit(0));
