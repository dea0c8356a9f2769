import {
  ackSchema,
  clientEvents,
  sentencesOfZodError,
  serverEvents,
  WireErrorSchema,
  type AgentPhoneState,
  type AgentResync,
  type ClientEventName,
  type HelpRequestView,
  type MeRights,
  type MonitoringHistory,
  type PayloadOf,
  type RecordingNotice,
  type RecordingState,
  type RequestOf,
  type ResponseOf,
  type ServerEventName,
  type SupervisionNotice,
  type HandshakeAuth,
} from '@earshot/shared';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { z } from 'zod';
import { AgentClientError } from './agentClientError.js';
import {
  INITIAL_AGENT_STATE,
  withConnection,
  withHelp,
  withPhone,
  withRecordingNotice,
  withResync,
  withRights,
  withSupervisionNotice,
  type AgentState,
  type ConnectionStatus,
} from './agentState.js';
import { callAudioChanges, type CallAudio } from './callAudio.js';
import { ServerClock } from './serverClock.js';
import { TypedEmitter } from './typedEmitter.js';

export interface AgentClientOptions {
  /** The Earshot server, e.g. `https://earshot.example.com` (in the browser: `location.origin`). */
  url: string;
  /** The token from `login()` (or from your own login flow: `POST /api/login`). */
  token: string;
  /** How long an action waits for the server's answer. Default 10 s. */
  requestTimeoutMs?: number;
  /**
   * First wait before reconnecting, doubled on each failed try up to `reconnectionDelayMaxMs`. The server
   * keeps an agent's call and sessions for a short grace after a drop (DISCONNECT_GRACE_MS, 2 s by
   * default), so the first try must come well within it. Default 250 ms, at most 5 s.
   */
  reconnectionDelayMs?: number;
  reconnectionDelayMaxMs?: number;
  /**
   * Several nodes: how long the client keeps going back to the address it was given while the nodes name a
   * home it cannot reach (a dead node's lease runs for NODE_LEASE_SECONDS, 5 s by default, before another node
   * takes the agent), before it reports the refusal. Default 60 s.
   */
  homePatienceMs?: number;
  /** The agent's audio (issue 6): told when the call connects and ends. */
  audio?: CallAudio;
  /** More socket.io-client options (an Electron shell's `extraHeaders`, a `path` behind a proxy, ...). */
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
}

/** The typed events of the client. `state` carries the whole state after any change. */
export interface AgentClientEvents {
  state: AgentState;
  connection: ConnectionStatus;
  /** The agent's phone changed (a call rings, is answered, held, ended; a status change). */
  phone: AgentPhoneState;
  /** A supervisor started, changed or ended a session on the agent's call (only with Live Monitoring Notifications). */
  supervision: SupervisionNotice;
  /** The recording of the agent's call started, paused or resumed, and by whom. */
  recording: RecordingNotice;
  /** The agent's help request was raised, acknowledged, given a message or ended (`endReason` says why). */
  help: HelpRequestView;
  rights: MeRights;
  /** The client attached (first connection or a reconnection) and replaced its state with the server's. */
  resync: AgentResync;
  /** A failure nobody awaited: a dropped invalid message, a refused resync, the end of the login. */
  error: AgentClientError;
}

/**
 * `me:rights` is pushed right before the server starts reading a new socket's events
 * (server/src/realtime/gateway.ts), so the first one of a connection opens the way to `agent:attach`.
 * Later ones mean the profile changed (docs/permissions.md rule 7): the client attaches again, since
 * Live Monitoring Notifications or Handle Calls may have come or gone.
 */
type AttachGate = 'waiting-for-rights' | 'attaching' | 'attaching-stale' | 'attached';

/**
 * The headless desktop-agent plugin: one socket.io connection for one agent. It attaches on every
 * (re)connection and takes the server's phone and active sessions as its state (docs/architecture.md "Notices":
 * "a reconnecting agent receives the sessions active on its call in its resync"); every message from the
 * server is checked against the shared schemas, and one that fails is dropped and reported as `error`.
 */
/**
 * Returns to the given address in a row, without attaching, before the client reports the refusal; and not
 * before `homePatienceMs` has passed since the first of them. A count alone ran out within a dead home's
 * lease when the reconnection delays are short (eight returns at 100 to 300 ms take under 3 s).
 */
const MAX_HOME_RETRIES = 8;

export class AgentClient {
  readonly clock = new ServerClock();
  private socket: Socket;
  /** The server this client talks to: the one it was given, or the agent's home node it was sent to. */
  private url: string;
  /** Sent to the agent's home node once already: a second refusal is reported, not followed (no loop between nodes). */
  private followedHome = false;
  private readonly events = new TypedEmitter<AgentClientEvents>();
  private state: AgentState = INITIAL_AGENT_STATE;
  private gate: AttachGate = 'waiting-for-rights';
  private readonly requestTimeoutMs: number;
  private closedByCaller = false;
  /** Returns to the given address since the last attach, while the nodes disagree on the agent's home (paced). */
  private homeRetries = 0;
  /** When the first of those returns was made (`Date.now()`). */
  private homeRetriesSince = 0;
  private homeRetryTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly options: AgentClientOptions) {
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.url = options.url;
    this.socket = this.openSocket(options.url);
  }

  private openSocket(url: string): Socket {
    const options = this.options;
    const socket = io(url, {
      auth: { token: options.token, client: 'agent' } satisfies HandshakeAuth,
      transports: ['websocket', 'polling'],
      tryAllTransports: true,
      reconnectionDelay: options.reconnectionDelayMs ?? 250,
      reconnectionDelayMax: options.reconnectionDelayMaxMs ?? 5000,
      autoConnect: false,
      forceNew: true,
      ...options.socketOptions,
    });
    socket.on('connect', () => this.connected());
    socket.on('disconnect', (reason) => this.disconnected(reason));
    socket.on('connect_error', (err) => this.connectFailed(err));
    for (const event of Object.keys(serverEvents) as ServerEventName[]) {
      socket.on(event, (payload: unknown) => this.receive(event, payload));
    }
    return socket;
  }

  /**
   * Several nodes (docs/scale-out.md): the plugin attaches at the agent's home node; another node refuses the
   * attach naming it. The client moves there, once, as if it had been given that address.
   */
  private followHome(homeUrl: string): void {
    this.moveTo(homeUrl, true);
  }

  /**
   * Back to the address it was given, after a pause that doubles each time (as socket.io's reconnection does):
   * while a dead home's lease runs out, the nodes may still name it for a moment; the given address answers
   * with the settled home once they agree. Past MAX_HOME_RETRIES in a row and `homePatienceMs`, the last
   * refusal is reported.
   */
  private returnToGivenAddress(refusal: AgentClientError | null): void {
    if (this.closedByCaller || this.homeRetryTimer !== null) return;
    const patient = Date.now() - this.homeRetriesSince < (this.options.homePatienceMs ?? 60_000);
    if (this.homeRetries >= MAX_HOME_RETRIES && !patient && refusal) return this.giveUp(refusal);
    const first = this.options.reconnectionDelayMs ?? 250;
    const delay = Math.min(first * 2 ** this.homeRetries, this.options.reconnectionDelayMaxMs ?? 5000);
    if (this.homeRetries === 0) this.homeRetriesSince = Date.now();
    this.homeRetries++;
    this.homeRetryTimer = setTimeout(() => {
      this.homeRetryTimer = null;
      if (!this.closedByCaller) this.moveTo(this.options.url, false);
    }, delay);
  }

  private giveUp(error: AgentClientError): void {
    this.update(withConnection(this.state, 'closed', error));
    this.events.emit('error', error);
    this.events.emit('connection', 'closed');
    this.socket.disconnect();
  }

  private moveTo(url: string, followedHome: boolean): void {
    this.followedHome = followedHome;
    const old = this.socket;
    old.removeAllListeners();
    old.disconnect();
    this.url = url;
    this.socket = this.openSocket(url);
    this.socket.connect();
  }

  /** Opens the connection (`createAgentClient` does). */
  connect(): this {
    this.socket.connect();
    return this;
  }

  /** Closes the connection for good. The server logs the agent out after its grace unless another plugin is attached. */
  close(): void {
    if (this.homeRetryTimer !== null) clearTimeout(this.homeRetryTimer);
    this.homeRetryTimer = null;
    this.socket.disconnect();
    // The call may go on at the server for its grace, but this client no longer follows it: its audio stops now.
    if (!this.closedByCaller) this.tellAudio(this.state.phone, null);
    this.closedByCaller = true;
    // Closed before it ever connected: socket.io reports no disconnect then.
    if (this.state.connection !== 'closed') {
      this.update(withConnection(this.state, 'closed'));
      this.events.emit('connection', 'closed');
    }
  }

  // ── State ──────────────────────────────────────────────────────────────────────────────────────────

  /** The current state; a new object after every change (for React's `useSyncExternalStore`). */
  readonly getState = (): AgentState => this.state;

  /** Calls `listener` after every change of the state; returns the function that stops it. */
  readonly subscribe = (listener: () => void): (() => void) => this.events.on('state', () => listener());

  on<E extends keyof AgentClientEvents>(event: E, listener: (payload: AgentClientEvents[E]) => void): () => void {
    return this.events.on(event, listener);
  }

  /** The logged-in user's id, once the server said who it is. */
  get userId(): number | null {
    return this.state.rights?.userId ?? this.state.phone?.userId ?? null;
  }

  /** Resolves once the client is attached and in sync; rejects when it closes first (its `error` says why). */
  ready(): Promise<AgentState> {
    return new Promise((resolve, reject) => {
      const settle = (): boolean => {
        if (this.state.connection === 'connected') resolve(this.state);
        else if (this.state.connection === 'closed') reject(this.state.error ?? new AgentClientError('DISCONNECTED', 'The client was closed'));
        else return false;
        return true;
      };
      if (settle()) return;
      const stop = this.subscribe(() => {
        if (settle()) stop();
      });
    });
  }

  // ── Actions ────────────────────────────────────────────────────────────────────────────────────────

  /** Available, not ready (a reason is required: "Break", "Lunch"...) or logged out of the phone. */
  async setStatus(status: 'available' | 'loggedOut'): Promise<AgentPhoneState>;
  async setStatus(status: 'notReady', reason: string): Promise<AgentPhoneState>;
  async setStatus(status: RequestOf<'agent:status'>['status'], reason?: string): Promise<AgentPhoneState> {
    const { phone } = await this.request('agent:status', reason === undefined ? { status } : { status, reason });
    return this.applyPhone(phone);
  }

  /** Answers the ringing call. */
  answer(): Promise<AgentPhoneState> {
    return this.callAction('call:answer');
  }

  hold(): Promise<AgentPhoneState> {
    return this.callAction('call:hold');
  }

  /** Takes the held call back. */
  unhold(): Promise<AgentPhoneState> {
    return this.callAction('call:unhold');
  }

  hangUp(): Promise<AgentPhoneState> {
    return this.callAction('call:hangUp');
  }

  /** Starts recording the agent's call (Initiate User Recording). */
  startRecording(): Promise<RecordingState> {
    return this.recordingAction('recording:start');
  }

  /** The PCI pause: nothing is recorded, and monitoring supervisors hear silence, until it resumes (Pause User Recording). */
  pauseRecording(): Promise<RecordingState> {
    return this.recordingAction('recording:pause');
  }

  resumeRecording(): Promise<RecordingState> {
    return this.recordingAction('recording:resume');
  }

  /** Stops the recording of the agent's call (Initiate User Recording); what was recorded is kept. */
  stopRecording(): Promise<RecordingState> {
    return this.recordingAction('recording:stop');
  }

  /**
   * Raises a help request to the supervisors whose scope holds this agent, with an optional short message
   * (at most HELP_MESSAGE_MAX characters). While a request is open it is the same request: a message given
   * then replaces the one it had.
   */
  async requestHelp(message?: string): Promise<HelpRequestView> {
    const { help } = await this.request('help:request', message === undefined ? {} : { message });
    this.update(withHelp(this.state, help, this.userId));
    return help;
  }

  /** Withdraws the agent's open help request; its supervisors see it go. */
  async cancelHelp(): Promise<HelpRequestView> {
    const open = this.state.help;
    if (!open || open.endedAt !== null) throw new AgentClientError('NO_HELP_REQUEST', 'help:cancel: you have no open help request');
    const { help } = await this.request('help:cancel', { helpId: open.helpId });
    this.update(withHelp(this.state, help, this.userId));
    return help;
  }

  /**
   * "Who listened to my calls": each supervision of the agent's calls in the last MONITORING_HISTORY_DAYS
   * days, newest first, read from the audit log. Only for holders of Live Monitoring Notifications: the
   * server refuses anyone else (FORBIDDEN), as it sends them no notice either.
   */
  monitoringHistory(): Promise<MonitoringHistory> {
    return this.request('monitoring:history', {});
  }

  private async callAction(event: 'call:answer' | 'call:hold' | 'call:unhold' | 'call:hangUp'): Promise<AgentPhoneState> {
    const { phone } = await this.request(event, { callId: this.currentCallId(event) });
    return this.applyPhone(phone);
  }

  private async recordingAction(event: 'recording:start' | 'recording:pause' | 'recording:resume' | 'recording:stop'): Promise<RecordingState> {
    const { state } = await this.request(event, { callId: this.currentCallId(event) });
    return state;
  }

  private currentCallId(event: ClientEventName): string {
    const callId = this.state.phone?.call?.callId;
    if (!callId) throw new AgentClientError('NO_CALL', `${event}: you have no call`);
    return callId;
  }

  /**
   * Sends one action and returns its answer's data; a refusal rejects with the server's code and message.
   * Nothing is queued while the connection is down: an answer or a hang-up sent later would act on a
   * call that may have moved on.
   */
  private request<E extends ClientEventName>(event: E, payload: RequestOf<E>): Promise<ResponseOf<E>> {
    const spec = clientEvents[event];
    const input = spec.request.safeParse(payload);
    if (!input.success) return Promise.reject(new AgentClientError('INVALID', sentencesOfZodError(input.error)));
    if (!this.socket.connected) {
      return Promise.reject(new AgentClientError('DISCONNECTED', `${event} was not sent: not connected to the server (reconnecting)`));
    }
    return new Promise((resolve, reject) => {
      this.socket.timeout(this.requestTimeoutMs).emit(event, input.data, (timedOut: Error | null, answer: unknown) => {
        if (timedOut) {
          // socket.io fails the pending acks of a connection that drops.
          return reject(
            this.socket.connected
              ? new AgentClientError('TIMEOUT', `${event}: no answer within ${this.requestTimeoutMs} ms`)
              : new AgentClientError('DISCONNECTED', `${event}: the connection dropped before the answer; it may or may not have been done`),
          );
        }
        const ack = ackSchema(spec.response).safeParse(answer);
        if (!ack.success) return reject(this.protocolError(`the answer to ${event}`, ack.error));
        if (!ack.data.ok) return reject(AgentClientError.fromWire(ack.data.error));
        resolve(ack.data.data as ResponseOf<E>);
      });
    });
  }

  // ── Connection ─────────────────────────────────────────────────────────────────────────────────────

  private connected(): void {
    // The first `me:rights` of this connection opens the gate to `agent:attach`.
    this.gate = 'waiting-for-rights';
  }

  private async attach(): Promise<void> {
    this.gate = 'attaching';
    const socket = this.socket;
    try {
      const resync = await this.request('agent:attach', {});
      // The rights changed while this answer was on its way: it may predate the change.
      if ((this.gate as AttachGate) === 'attaching-stale') return void this.attach(); // (set by a push during the await)
      this.gate = 'attached';
      this.homeRetries = 0;
      const before = this.state;
      this.update(withResync(this.state, resync));
      this.tellAudio(before.phone, resync.phone);
      this.events.emit('resync', resync);
      if (before.connection !== 'connected') this.events.emit('connection', 'connected');
    } catch (e) {
      const error = e instanceof AgentClientError ? e : new AgentClientError('PROTOCOL', String(e));
      // The answer of a node this client has since left (it moved to the agent's home, or back): not its to act on.
      if (socket !== this.socket) return;
      if (error.code === 'TIMEOUT') return void this.attach();
      // The address it was given always names the home: following it cannot loop between homes.
      if (error.code === 'CONFLICT' && error.homeUrl && (!this.followedHome || this.url === this.options.url)) return this.followHome(error.homeUrl);
      // The home it was sent to names yet another node: the nodes disagree while a lease moves (a node died).
      if (error.code === 'CONFLICT' && error.homeUrl) return this.returnToGivenAddress(error);
      if (error.code === 'DISCONNECTED') return; // the next connection attaches again
      // A refusal (e.g. FORBIDDEN: the profile lacks Handle Calls) will not change by retrying.
      this.giveUp(error);
    }
  }

  private disconnected(reason: Socket.DisconnectReason): void {
    this.gate = 'waiting-for-rights';
    if (this.state.connection === 'closed') return;
    if (reason === 'io client disconnect') {
      this.update(withConnection(this.state, 'closed'));
    } else if (reason === 'io server disconnect') {
      // The server closes a socket only when its login ended: logged out elsewhere, revoked, or the user deleted.
      const error = new AgentClientError('UNAUTHENTICATED', 'The server closed the connection: your login has ended; log in again');
      this.update(withConnection(this.state, 'closed', error));
      this.events.emit('error', error);
    } else {
      this.update(withConnection(this.state, 'reconnecting'));
    }
    this.events.emit('connection', this.state.connection);
  }

  /** A refusal at the handshake (bad or expired token, origin) is final; a network failure is retried by socket.io. */
  private connectFailed(err: Error & { data?: unknown }): void {
    const refusal = WireErrorSchema.safeParse(err.data);
    if (!refusal.success) {
      // The home node it was sent to does not answer (it stopped): back to the address it was given, which names
      // the agent's new home.
      if (this.url !== this.options.url) this.returnToGivenAddress(null);
      return;
    }
    const error = AgentClientError.fromWire(refusal.data);
    this.update(withConnection(this.state, 'closed', error));
    this.events.emit('error', error);
    this.events.emit('connection', 'closed');
  }

  // ── Inbound ────────────────────────────────────────────────────────────────────────────────────────

  private receive<E extends ServerEventName>(event: E, payload: unknown): void {
    const parsed = serverEvents[event].safeParse(payload);
    if (!parsed.success) {
      this.events.emit('error', this.protocolError(`a ${event} push`, parsed.error));
      return;
    }
    (this.handlers[event] as (p: PayloadOf<E>) => void)(parsed.data as PayloadOf<E>);
  }

  private readonly handlers: { [E in ServerEventName]: (payload: PayloadOf<E>) => void } = {
    'me:rights': (rights) => {
      this.update(withRights(this.state, rights));
      this.events.emit('rights', rights);
      if (this.gate === 'attaching') this.gate = 'attaching-stale';
      else if (this.gate !== 'attaching-stale') void this.attach();
    },
    'agent:phone': ({ phone }) => {
      this.applyPhone(phone);
    },
    'notice:supervision': (notice) => {
      this.clock.observe(notice.at);
      this.update(withSupervisionNotice(this.state, notice));
      this.events.emit('supervision', notice);
    },
    'notice:recording': (notice) => {
      this.clock.observe(notice.at);
      this.update(withRecordingNotice(this.state, notice));
      this.events.emit('recording', notice);
    },
    'help:update': (help) => {
      const before = this.state.help;
      this.update(withHelp(this.state, help, this.userId));
      if (this.state.help !== before) this.events.emit('help', help);
    },
    'action:error': (failure) => {
      this.events.emit('error', new AgentClientError(failure.error.code, `${failure.event}: ${failure.error.message}`, failure.error.retryAfter));
    },
    // Supervisor-side pushes: a user who also supervises may receive them; the desktop agent has no use for them.
    'board:delta': () => {},
    'board:snapshot': () => {},
    'queues:update': () => {},
    'queues:snapshot': () => {},
    'supervise:ended': () => {},
    'alerts:defaults': () => {},
    'alerts:settings': () => {},
  };

  private applyPhone(phone: AgentPhoneState): AgentPhoneState {
    const before = this.state.phone;
    // A state the phone has just entered was stamped now: a fresh reading of the server's clock.
    if (before !== null && (before.state !== phone.state || before.since !== phone.since)) this.clock.observe(phone.since);
    this.update(withPhone(this.state, phone));
    this.tellAudio(before, phone);
    this.events.emit('phone', phone);
    return phone;
  }

  private tellAudio(before: AgentPhoneState | null, after: AgentPhoneState | null): void {
    const audio = this.options.audio;
    if (!audio) return;
    for (const change of callAudioChanges(before, after)) {
      if (change.type === 'ended') audio.callEnded(change.callId);
      else {
        const { callId } = change.call;
        audio.callConnected(change.call, { url: this.url, mediaToken: () => this.request('media:token', { callId }) });
      }
    }
  }

  private update(next: AgentState): void {
    if (next === this.state) return;
    this.state = next;
    this.events.emit('state', next);
  }

  private protocolError(what: string, error: z.ZodError): AgentClientError {
    return new AgentClientError('PROTOCOL', `Dropped ${what}: it does not match the shared schema (${z.prettifyError(error)})`);
  }
}

/** Creates the client and opens its connection; `await client.ready()` to wait for the first resync. */
export function createAgentClient(options: AgentClientOptions): AgentClient {
  return new AgentClient(options).connect();
}
