import type { Server as HttpServer } from 'node:http';
import { clientEvents, HandshakeAuthSchema, type ClientToServerEvents, type ServerToClientEvents, type WireError } from '@earshot/shared';
import { Server, type Socket } from 'socket.io';
import { meRightsOf, type AuthService } from '../auth/authService.js';
import { ActionError } from '../domain/actionError.js';
import { toWireError } from '../wireError.js';
import { MessageRateLimiter, runAction, type Caller, type Respond, type WrapperDeps } from './actionWrapper.js';
import type { AnyActionDefinition } from './actionTypes.js';
import type { LiveEffects } from './liveEffects.js';
import { originAllowed } from './originPolicy.js';
import { watchConnections } from './connectionWatch.js';
import { closeSlowSockets } from './slowSockets.js';
import { coalesceSocketWrites } from './writeCoalescing.js';
import { wireParser } from './wireParser.js';
import type { ControlSocketKind, ServerMetrics } from '../metrics/serverMetrics.js';
import type { LogFields } from '../live/floorPublisher.js';

export interface SocketData {
  userId: number;
  /** The login (`LoginSession.id`) the socket authenticated with: revoking it closes the socket. */
  loginId: number;
  displayName: string;
  /** The app that opened the socket, as its handshake says (counted in the metrics). */
  client: ControlSocketKind;
  limiter: MessageRateLimiter;
}

export type EarshotIo = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type EarshotSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export const userRoom = (id: number) => `user:${id}`;
export const loginRoom = (id: number) => `login:${id}`;

/** Transport-level cap: larger frames close the connection; field limits in the schemas answer first. */
export const MAX_MESSAGE_BYTES = 256 * 1024;

function connectError(e: unknown): Error {
  const wire = toWireError(e);
  return Object.assign(new Error(wire.message), { data: wire });
}

export interface GatewayDeps extends Omit<WrapperDeps, 'authenticate' | 'live'> {
  auth: AuthService;
  actions: readonly AnyActionDefinition[];
  originAllowlist: readonly string[];
  /** Where a connection cut as too slow is logged. */
  logInfo: (message: string, fields?: LogFields) => void;
  /** Where every answered action is counted, with its outcome and how long it took. */
  metrics?: Pick<ServerMetrics, 'actionAnswered'>;
  /**
   * Several nodes: decides where an action runs. `runHere` runs it on this node; the router may instead answer
   * from the node that owns the action's agent (docs/scale-out.md). Absent: every action runs here.
   */
  route?: (event: string, caller: Caller, payload: unknown, runHere: () => Promise<void>, respond: Respond) => Promise<void>;
  /** Several nodes: the floor's `rightsChanged` here and on every other node (docs/permissions.md rule 7); this floor's alone by default. */
  floorRightsChanged?: () => Promise<void>;
}

/** What the gateway offers the rest of the node: the io server, the live effects, and actions run for another node's caller. */
export interface Gateway {
  io: EarshotIo;
  live: LiveEffects;
  /** What was emitted in this turn leaves now instead of at the end of the turn (`FloorPublisher.sendNow`). */
  sendNow(): void;
  /** Runs an action another node forwarded, for its caller, through the same pipeline as a socket's own. */
  runForwarded(event: string, caller: Caller, payload: unknown, respond: Respond): Promise<void>;
}

/** The socket.io control plane: handshake auth, origin check, and every action through the one wrapper. */
export function createGateway(httpServer: HttpServer, deps: GatewayDeps): Gateway {
  const io: EarshotIo = new Server(httpServer, {
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    serveClient: false,
    parser: wireParser,
    cors: { origin: (origin, cb) => cb(null, origin === undefined || deps.originAllowlist.includes(origin)) },
  });
  const writes = coalesceSocketWrites();
  watchConnections(io.engine, writes.watch, closeSlowSockets(deps.config.socketMaxUnsentBytes, deps.logInfo));

  const floorRightsChanged = deps.floorRightsChanged ?? (() => deps.floor.rightsChanged());
  const live: LiveEffects = {
    async rightsChanged(userIds) {
      // docs/permissions.md rule 7: sessions and boards first (a revoked session ends at once), then the clients' controls.
      await floorRightsChanged();
      for (const id of new Set(userIds)) {
        const actor = deps.floor.directory.actor(id);
        if (actor) io.to(userRoom(id)).emit('me:rights', meRightsOf(actor));
      }
    },
    async loginsRevoked(loginIds) {
      for (const id of loginIds) io.in(loginRoom(id)).disconnectSockets(true);
    },
    async userDeleted(userId) {
      await floorRightsChanged();
      io.in(userRoom(userId)).disconnectSockets(true);
    },
    alertDefaultsChanged(defaults) {
      io.emit('alerts:defaults', defaults);
    },
    alertSettingsChanged(userId, settings) {
      io.to(userRoom(userId)).emit('alerts:settings', settings);
    },
  };

  const wrapperDeps: WrapperDeps = {
    ...deps,
    live,
    authenticate: async (loginId, userId) => {
      const session = (await deps.store.sessions.isActive(loginId, deps.now())) ? { id: loginId, userId, expiresAt: 0 } : null;
      // The floor's directory holds the store's users, profiles and teams, reloaded before any other message
      // is handled after every admin change (docs/permissions.md rule 7): the same actor as the store's, without two SQL
      // statements prepared and run on every message (the bench's hottest path after the socket writes).
      const actor = session ? deps.floor.directory.actor(userId) : null;
      if (!session || !actor) throw new ActionError('UNAUTHENTICATED', 'Your login has ended; log in again');
      return { session, actor };
    },
  };

  io.use(async (socket, next) => {
    try {
      if (!originAllowed(socket.handshake.headers, deps.originAllowlist, socket.handshake.secure)) {
        throw new ActionError('FORBIDDEN', `Origin ${socket.handshake.headers.origin} is not allowed`);
      }
      const parsed = HandshakeAuthSchema.safeParse(socket.handshake.auth);
      if (!parsed.success) throw new ActionError('UNAUTHENTICATED', 'A login token is required in the handshake (auth.token)');
      const { session, actor } = await deps.auth.authenticate(parsed.data.token);
      socket.data = {
        userId: actor.id,
        loginId: session.id,
        displayName: actor.displayName,
        client: parsed.data.client ?? 'other',
        limiter: new MessageRateLimiter(deps.config.socketRatePerSecond, deps.now()),
      };
      next();
    } catch (e) {
      if (!(e instanceof ActionError)) deps.logError(e, 'handshake');
      next(connectError(e));
    }
  });

  const byEvent = new Map(deps.actions.map((a) => [a.event as string, a]));

  io.on('connection', async (socket: EarshotSocket) => {
    // Who sends on this socket is fixed at the handshake.
    const caller = { socketId: socket.id, loginId: socket.data.loginId, userId: socket.data.userId, displayName: socket.data.displayName };
    const dispatch = (event: string, args: unknown[]) => {
      const ack = typeof args[args.length - 1] === 'function' ? (args.pop() as (r: unknown) => void) : null;
      const def = byEvent.get(event);
      const started = performance.now();
      const respond: Respond = (response) => {
        // Counted by the action's name only when it is one: an unknown event's name is the client's to choose.
        deps.metrics?.actionAnswered(def ? def.event : 'unknown', response.ok ? 'ok' : response.error.code, (performance.now() - started) / 1000);
        if (ack) ack(response);
        else if (!response.ok) socket.emit('action:error', { event, error: response.error });
        if (!response.ok && response.error.code === 'UNAUTHENTICATED') socket.disconnect(true);
      };
      const limited = socket.data.limiter.take(deps.now());
      if (limited) return respond({ ok: false, error: limited });
      if (!def) {
        const error: WireError = { code: 'INVALID', message: `Unknown event "${String(event).slice(0, 60)}"` };
        return respond({ ok: false, error });
      }
      const runHere = () => runAction(wrapperDeps, def, caller, args[0], respond);
      void (deps.route ? deps.route(def.event, caller, args[0], runHere, respond) : runHere());
    };

    // Listeners first, before anything is awaited: an event sent right after connect is not lost.
    socket.onAny((event: string, ...args: unknown[]) => dispatch(event, args));
    socket.on('disconnect', () => deps.floor.socketClosed(socket.data.userId, socket.id));
    deps.floor.socketOpened(socket.data.userId, socket.id);
    await socket.join([userRoom(socket.data.userId), loginRoom(socket.data.loginId)]);
    // The floor's directory holds the store's actors as of the last admin change (docs/permissions.md rule 7).
    const actor = deps.floor.directory.actor(socket.data.userId);
    if (actor) socket.emit('me:rights', meRightsOf(actor));
    // Sessions of theirs that a restart ended while they were away: told once, on this connection.
    for (const ended of deps.floor.supervision.takeUndeliveredEnds(socket.data.userId)) socket.emit('supervise:ended', ended);
  });

  // Every registered action must have a wire schema: one source for the wire.
  for (const a of deps.actions) if (!(a.event in clientEvents)) throw new Error(`No schema for action ${a.event}`);

  return {
    io,
    live,
    sendNow: writes.sendNow,
    async runForwarded(event, caller, payload, respond) {
      const def = byEvent.get(event);
      if (!def) return respond({ ok: false, error: { code: 'INVALID', message: `Unknown event "${event.slice(0, 60)}"` } });
      await runAction(wrapperDeps, def, caller, payload, respond);
    },
  };
}
