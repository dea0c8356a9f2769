/**
 * The baseline: a bare socket.io relay, no auth, no domain, no store. Clients name the rooms they listen
 * to in the handshake; a status change is forwarded once to the agent's team rooms and `all` (the same
 * receivers the Earshot board reaches), a supervision start or stop is forwarded to the agent's room.
 * Run in its own process: `node --import tsx test/bench/relayServer.ts` (PORT, HOST from env); it prints
 * `relay listening on <port>`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';

interface RelayIdentity {
  userId: number;
  displayName: string;
  teamIds: number[];
  listen: string[];
}

type AckFn = (r: unknown) => void;

const http = createServer();
const io = new Server(http, { serveClient: false });
const sessionAgents = new Map<string, number>();
let sessionCounter = 0;

io.on('connection', (socket) => {
  const me = (socket.handshake.auth as { relay?: RelayIdentity }).relay ?? { userId: 0, displayName: '', teamIds: [], listen: [] };
  void socket.join(me.listen);
  const publishTo = [...me.teamIds.map((t) => `team:${t}`), 'all'];

  socket.on('agent:status', (p: { status: string; reason?: string }, ack: AckFn) => {
    const now = Date.now();
    const phone = { userId: me.userId, state: p.status, notReadyReason: p.reason ?? null, since: now, call: null };
    io.to(publishTo).emit('board:delta', { entry: { userId: me.userId, displayName: me.displayName, teamIds: me.teamIds, phone }, at: now });
    ack({ ok: true, data: { phone } });
  });

  socket.on('supervise:start', (p: { agentId: number; mode: string }, ack: AckFn) => {
    const now = Date.now();
    const sessionId = `relay-${++sessionCounter}`;
    sessionAgents.set(sessionId, p.agentId);
    const supervisor = { id: me.userId, name: me.displayName };
    io.to(`user:${p.agentId}`).emit('notice:supervision', { sessionId, callId: 'relay', supervisor, mode: p.mode, phase: 'started', reason: null, at: now });
    ack({ ok: true, data: { session: { sessionId, agentId: p.agentId, supervisorId: me.userId, mode: p.mode, since: now } } });
  });

  socket.on('supervise:stop', (p: { sessionId: string }, ack: AckFn) => {
    const now = Date.now();
    const agentId = sessionAgents.get(p.sessionId);
    sessionAgents.delete(p.sessionId);
    const supervisor = { id: me.userId, name: me.displayName };
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
    ack({ ok: true, data: { sessionId: p.sessionId } });
  });

  // Everything else (attach, subscribe): acknowledged, nothing to do.
  const handled = new Set(['agent:status', 'supervise:start', 'supervise:stop']);
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
