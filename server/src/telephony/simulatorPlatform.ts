import { AGENT_CONTROLS, MEDIA_FRAME_MS, SUPERVISION_MODES, type AgentPhoneState, type SupervisionMode } from '@earshot/shared';
import type { ServerConfig } from '../config.js';
import { tracksHeardBy } from '../domain/audioRouting.js';
import { LOGIN_NOT_READY_REASON, type PhoneEvent } from '../domain/phoneState.js';
import type {
  AgentControlRequest,
  PlatformAgent,
  PlatformAgentEvent,
  PlatformCapabilities,
  PlatformHost,
  SupervisorLegRequest,
  TelephonyPlatform,
} from './platform.js';
import { mulberry32 } from './prng.js';
import { SimulatedCallAudio, type SimulatedAudio } from './simulatedCallAudio.js';
import { TelephonySimulator, type FloorView, type SimulatorAction } from './simulator.js';

/** Users whose username starts with this are driven by the simulator. */
export const SIMULATED_USERNAME_PREFIX = 'sim.';

/** After the event loop stalls, the simulated calls catch up this many frames at most, not a burst of stale audio. */
const MAX_CATCH_UP_FRAMES = 5;

/**
 * The embedded telephony platform of `npm start` (docs/architecture.md "Layout": "the simulator (embedded
 * default)"): the pure `TelephonySimulator` steps every tick against the floor as the host shows it, and
 * what it decides is reported as any platform reports, by endpoint; its callers' voices (and its agents')
 * are pushed every 20 ms for the calls whose audio is wanted. It carries every mode and control: a leg is
 * a note of the session's mode, by which it tells what its customer would hear.
 *
 * `tick()` and `pushAudio()` are public so that tests can step them by hand; `start` runs them in real
 * time only when the simulator is enabled (SIM_ENABLED).
 */
export class SimulatorPlatform implements TelephonyPlatform {
  readonly name = 'simulator';
  readonly capabilities: PlatformCapabilities = {
    name: 'simulator',
    modes: [...SUPERVISION_MODES],
    recording: true,
    agentControls: [...AGENT_CONTROLS],
  };
  readonly simulator: TelephonySimulator;
  private host: PlatformHost | null = null;
  private endpoints = new Map<number, string>();
  private readonly streamed = new Map<string, { next: number }>();
  private readonly legs = new Map<string, { callId: string; mode: SupervisionMode }>();
  private reindexed = false;
  /** The actions of a step made in turns (`tick`), not reported yet. */
  private pending: SimulatorAction[] = [];
  private turnScheduled = false;
  private tickTimer: NodeJS.Timeout | null = null;
  private audioTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly config: ServerConfig['simulator'],
    private readonly now: () => number,
    private readonly audio: SimulatedAudio = new SimulatedCallAudio(),
  ) {
    this.simulator = new TelephonySimulator(
      {
        agents: config.agents,
        arrivalPerMinute: config.arrivalsPerMinute,
        meanHandleSeconds: config.meanHandleSeconds,
        queues: config.queues.length ? config.queues : ['General'],
        offerToRealAgents: config.offerToRealAgents,
        callIdPrefix: `call-${now().toString(36)}`,
      },
      mulberry32(config.seed),
    );
  }

  /** How many agents it drives (the `sim.*` users, up to SIM_AGENTS). */
  get drivenAgents(): number {
    return this.simulator.drivenAgents().length;
  }

  async start(host: PlatformHost): Promise<void> {
    this.host = host;
    this.indexEndpoints();
    for (const a of host.agents()) if (a.username.startsWith(SIMULATED_USERNAME_PREFIX)) this.simulator.drive(a.phone.userId);
    if (!this.config.enabled) return;
    // The floor opens with one call waiting in each queue, so work flows from the first tick.
    if (this.config.arrivalsPerMinute > 0) for (const queue of this.config.queues) this.placeCall({ queue });
    this.tickTimer = setInterval(() => this.tick({ inTurns: true }), this.config.tickMs);
    this.tickTimer.unref();
    this.startAudio();
  }

  /** Pushes the streamed calls' audio in real time (`start` does when it runs; a test whose media clock runs by itself too). */
  startAudio(): void {
    if (this.audioTimer) return;
    const origin = this.now();
    let pushed = 0;
    this.audioTimer = setInterval(() => {
      const due = Math.floor((this.now() - origin) / MEDIA_FRAME_MS);
      if (due - pushed > MAX_CATCH_UP_FRAMES) pushed = due - MAX_CATCH_UP_FRAMES;
      for (; pushed < due; pushed++) this.pushAudio();
    }, MEDIA_FRAME_MS);
    this.audioTimer.unref();
  }

  async stop(): Promise<void> {
    this.pending = [];
    if (this.tickTimer) clearInterval(this.tickTimer);
    if (this.audioTimer) clearInterval(this.audioTimer);
    this.tickTimer = this.audioTimer = null;
    this.host = null;
  }

  // ── The calls ──────────────────────────────────────────────────────────────────────────────────────

  /**
   * One step: simulated agents and the customers of real agents' calls act. At once (a test stepping it by
   * hand sees the step done), or `inTurns`, as its timer runs it: one action a turn of the event loop, as a
   * real platform's events arrive, so that the messages of real agents and supervisors are read between
   * them. A step carried out all at once held them for a burst of phone changes every tick (a dozen at the
   * bench's full target, each with its board deltas): the tail of the time to apply an agent's change.
   */
  tick(options: { inTurns?: boolean } = {}): void {
    // What is left of the last step goes first: the simulator decides on the floor those actions make.
    if (this.pending.length > 0) this.reportPending();
    const host = this.requireHost();
    this.reindexed = false;
    const driven = (userId: number) => this.simulator.drives(userId);
    // The step reads each phone of a call twice or more (is the call still on it, what does its customer do):
    // read through the host once, a step holding the event loop for about a millisecond at 400 calls.
    const read = new Map<number, AgentPhoneState | undefined>();
    const view: FloorView = {
      phoneOf: (userId) => {
        if (read.has(userId)) return read.get(userId);
        const agent = this.agentOf(userId);
        const phone = agent && (driven(userId) || agent.attached) ? agent.phone : undefined;
        read.set(userId, phone);
        return phone;
      },
      *availableLongestFirst() {
        for (const a of host.availableLongestFirst()) if (driven(a.phone.userId) || a.attached) yield a.phone;
      },
      takenOverCallIds: host.takenOverCallIds(),
    };
    this.pending.push(...this.simulator.tick(this.now(), view));
    if (options.inTurns) this.reportNextInTurn();
    else this.reportPending();
  }

  private reportNextInTurn(): void {
    if (this.turnScheduled) return;
    this.turnScheduled = true;
    setImmediate(() => {
      this.turnScheduled = false;
      if (!this.host) return void (this.pending = []);
      const action = this.pending.shift();
      if (action) this.report(action);
      if (this.pending.length > 0) return this.reportNextInTurn();
      this.reportQueues();
    });
  }

  /** Every action not reported yet, now, then the queues' events. */
  private reportPending(): void {
    const actions = this.pending;
    this.pending = [];
    for (const action of actions) this.report(action);
    this.reportQueues();
  }

  /** A call arrives now: for one agent (offered when they are available) or the first free one. */
  placeCall(options: { toUserId?: number; queue?: string } = {}): void {
    this.simulator.placeCall(this.now(), options);
    if (this.host) this.reportQueues();
  }

  private report(action: SimulatorAction): void {
    const host = this.requireHost();
    const agent = this.agentOf(action.userId);
    if (!agent) return;
    const { endpoint } = agent;
    if (action.type === 'endTakenOverCall') {
      host.agent({ type: 'ended', endpoint, callId: action.callId });
      return;
    }
    const callId = agent.phone.call?.callId ?? '';
    const event = platformEventOf(action.event, endpoint, callId);
    if (event) host.agent(event);
  }

  /** Callers who start waiting and who give up in the queue; answers show on the agents' phones. */
  private reportQueues(): void {
    for (const e of this.simulator.takeQueueEvents()) {
      if (e.type === 'waiting') this.host?.queue({ type: 'waiting', queue: e.queue, callId: e.callId, since: e.at });
      else if (e.type !== 'ended') this.host?.queue({ type: e.type, queue: e.queue, callId: e.callId, at: e.at });
    }
  }

  /**
   * A user as the floor shows them, found by the endpoint the floor names them by. The endpoints are read
   * again (once a tick at most) when a user's has changed, as when an administrator sets an extension.
   */
  private agentOf(userId: number): PlatformAgent | undefined {
    const host = this.requireHost();
    const endpoint = this.endpoints.get(userId);
    const agent = endpoint === undefined ? undefined : host.agentAt(endpoint);
    if (agent?.phone.userId === userId) return agent;
    if (this.reindexed) return undefined;
    this.reindexed = true;
    this.indexEndpoints();
    const again = this.endpoints.get(userId);
    return again === undefined ? undefined : host.agentAt(again);
  }

  private indexEndpoints(): void {
    this.endpoints = new Map([...this.requireHost().agents()].map((a) => [a.phone.userId, a.endpoint]));
  }

  private requireHost(): PlatformHost {
    if (!this.host) throw new Error('The telephony simulator is not started');
    return this.host;
  }

  // ── Commands: every one carried out at once ────────────────────────────────────────────────────────

  async openSupervisorLeg(leg: SupervisorLegRequest): Promise<void> {
    this.legs.set(leg.sessionId, { callId: leg.callId, mode: leg.mode });
  }

  async changeLegMode(sessionId: string, mode: SupervisionMode): Promise<void> {
    const leg = this.legs.get(sessionId);
    if (leg) leg.mode = mode;
  }

  async closeSupervisorLeg(sessionId: string): Promise<void> {
    this.legs.delete(sessionId);
  }

  async takeOver(sessionId: string): Promise<void> {
    const leg = this.legs.get(sessionId);
    if (leg) leg.mode = 'takeOver';
  }

  /** The customer of a taken-over call is hung up on: the simulator forgets the call at its next tick. */
  async endCall(callId: string): Promise<void> {
    this.streamed.delete(callId);
  }

  /** The simulated customer notices a hold or a hang-up at its next tick; nothing to carry out here. */
  async agentControl(_request: AgentControlRequest): Promise<void> {}

  // ── Audio ──────────────────────────────────────────────────────────────────────────────────────────

  streamAudio(callId: string, on: boolean): void {
    if (!on) this.streamed.delete(callId);
    else if (!this.streamed.has(callId)) this.streamed.set(callId, { next: 0 });
  }

  /** One 20 ms frame of every streamed call: its simulated agent's voice (if the simulator drives the agent), then its customer's. */
  pushAudio(): void {
    const host = this.host;
    if (!host) return;
    const at = this.now();
    const takenOver = this.streamed.size > 0 ? host.takenOverCallIds() : null;
    for (const [callId, stream] of this.streamed) {
      const index = stream.next++;
      const agentId = this.simulator.agentOf(callId);
      if (agentId !== undefined && this.simulator.drives(agentId) && !takenOver!.has(callId)) {
        const agent = this.audio.agentFrame(callId, index);
        if (agent) host.audio(callId, 'agent', agent, at);
      }
      host.audio(callId, 'customer', this.audio.customerFrame(callId, index), at);
    }
  }

  supervisorAudio(sessionId: string, frame: Int16Array): void {
    const leg = this.legs.get(sessionId);
    if (leg && tracksHeardBy('customer', leg.mode, { pciPaused: false }).has('supervisor')) this.audio.toCustomer(leg.callId, 'supervisor', frame);
  }

  agentAudio(callId: string, frame: Int16Array): void {
    this.audio.toCustomer(callId, 'agent', frame);
  }
}

/** A simulator step as a platform reports it. */
function platformEventOf(event: PhoneEvent, endpoint: string, callId: string): PlatformAgentEvent | null {
  switch (event.type) {
    case 'login':
      return { type: 'status', endpoint, status: 'notReady', reason: LOGIN_NOT_READY_REASON };
    case 'setAvailable':
    case 'endWrapUp':
      return { type: 'status', endpoint, status: 'available' };
    case 'logout':
      return { type: 'status', endpoint, status: 'loggedOut' };
    case 'setNotReady':
      return { type: 'status', endpoint, status: 'notReady', reason: event.reason };
    case 'offerCall':
      return { type: 'offered', endpoint, call: { ...event.offer } };
    case 'answer':
      return { type: 'answered', endpoint, callId };
    case 'hold':
      return { type: 'held', endpoint, callId };
    case 'unhold':
      return { type: 'resumed', endpoint, callId };
    case 'hangUp':
      return { type: 'ended', endpoint, callId };
    case 'takeOver':
    case 'recording':
      return null;
  }
}
