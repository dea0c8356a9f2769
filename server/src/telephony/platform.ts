import type { AgentControl, AgentPhoneState, CallDirection, PlatformCapabilities, SupervisionMode } from '@earshot/shared';

export type { AgentControl, PlatformCapabilities };

/**
 * The one boundary between Earshot and the telephony that carries the calls (docs/architecture.md "Telephony
 * platforms": "The floor does not know where calls come from"). The embedded simulator is one
 * implementation; a PBX adapter (Asterisk through ARI) is another.
 *
 * Agents are named by the platform's own endpoint (an extension, `1001`, or the endpoint's name); the floor
 * maps an endpoint to the Earshot user whose `extension` it is, or failing that whose username it is. An
 * event for an endpoint that maps to nobody is ignored.
 *
 * Three directions:
 * - events in (`PlatformHost.agent`, `PlatformHost.queue`): what happens on the calls;
 * - audio in (`PlatformHost.audio`): the customer's and the agent's voices, pushed as they arrive;
 * - commands out (the methods here): supervisor legs, take over, end a call, the desktop agent's controls,
 *   and audio out (the supervisor's microphone, an agent voice that comes from the desktop agent).
 */
export interface TelephonyPlatform {
  /** `simulator`, `asterisk`, ...: logs and `PlatformCapabilities.name`. */
  readonly name: string;
  readonly capabilities: PlatformCapabilities;

  /** Connects and starts reporting to the host; resolves once the platform is usable. */
  start(host: PlatformHost): Promise<void>;
  /** Stops reporting and lets go of every leg and connection; resolves when done. */
  stop(): Promise<void>;

  // ── Supervision ────────────────────────────────────────────────────────────────────────────────────

  /**
   * Prepares a supervisor's leg on the agent's call, in a mode. No supervisor hears a frame because of it:
   * the media plane routes audio to a session only once the floor has announced it, and the floor
   * announces a session only after the agent's notice went out. Rejects when the leg cannot be opened:
   * the supervision action then fails and nothing of the session remains.
   */
  openSupervisorLeg(leg: SupervisorLegRequest): Promise<void>;
  /** The leg's new mode (coach: the agent hears the supervisor; barge: both do). Rejects: the mode stays. */
  changeLegMode(sessionId: string, mode: SupervisionMode): Promise<void>;
  /** Ends the leg. Called for every end of a session, whatever its reason; an unknown session is no error. */
  closeSupervisorLeg(sessionId: string): Promise<void>;
  /**
   * The supervisor's leg stays with the customer and the agent leaves the call. From then on `ended` for
   * that call means the customer is gone; the agent's leaving is not reported as an end.
   */
  takeOver(sessionId: string): Promise<void>;
  /** Hangs the call up (a taken-over call whose supervisor left it). An ended call is no error. */
  endCall(callId: string): Promise<void>;

  // ── The desktop agent's controls ───────────────────────────────────────────────────────────────────

  /**
   * Carries out an agent's control on their own call (only those in `capabilities.agentControls`).
   * Resolves once done; the floor then applies the change itself, and an event the platform reports for
   * it afterwards finds the phone already there and is ignored. Rejects: the phone stays as it was.
   */
  agentControl(request: AgentControlRequest): Promise<void>;

  // ── Audio ──────────────────────────────────────────────────────────────────────────────────────────

  /**
   * Whether someone wants the call's audio (a listener, the recorder): a platform pushes a call's tracks
   * only while on, so a floor of thousands of calls costs audio only for those watched.
   */
  streamAudio(callId: string, on: boolean): void;
  /**
   * One 20 ms frame (160 samples, 8 kHz) of a supervisor's microphone, sent only while the session's mode
   * lets someone on the call hear it (coach, barge, take over); the platform plays it by the leg's mode.
   */
  supervisorAudio(sessionId: string, frame: Int16Array): void;
  /** One frame of an agent's voice that comes from the desktop agent (not from a phone the platform carries): to the customer. */
  agentAudio(callId: string, frame: Int16Array): void;
}

export interface SupervisorLegRequest {
  sessionId: string;
  callId: string;
  /** The supervised agent's endpoint. */
  endpoint: string;
  mode: SupervisionMode;
}

export interface AgentControlRequest {
  callId: string;
  endpoint: string;
  control: AgentControl;
}

/** The tracks a platform pushes: what the customer says and what the agent says. */
export type PlatformTrack = 'customer' | 'agent';

/** A call as the platform offers it to an agent. */
export interface PlatformCall {
  callId: string;
  queue: string;
  direction: CallDirection;
  /** The full number: the floor masks it before it reaches anything that travels. */
  remoteNumber: string;
  /** A recording profile records the call from its first second. */
  recording?: 'off' | 'on';
}

/** What happens to an agent's calls, by the agent's endpoint. */
export type PlatformAgentEvent =
  | { type: 'offered'; endpoint: string; call: PlatformCall }
  | { type: 'answered' | 'held' | 'resumed' | 'ended'; endpoint: string; callId: string }
  /**
   * An agent's status, from a platform that runs it (the simulator's own agents). A PBX leaves status to
   * the desktop agent and never sends this. `available` after wrap-up ends it.
   */
  | { type: 'status'; endpoint: string; status: 'loggedOut' | 'available' | 'notReady'; reason?: string };

/** A queue's calls: one waits from `waiting` until it is `answered` by an agent or `abandoned` by the caller. */
export type PlatformQueueEvent =
  | { type: 'waiting'; queue: string; callId: string; since: number }
  | { type: 'answered' | 'abandoned'; queue: string; callId: string; at: number };

/** The calls waiting in one queue, longest first, with when each began to wait (for the queue view). */
export interface QueueSnapshot {
  queue: string;
  waiting: { callId: string; since: number }[];
}

/** An agent as the platform may read it off the floor. */
export interface PlatformAgent {
  endpoint: string;
  username: string;
  phone: AgentPhoneState;
  /** The agent's desktop agent is connected (they can answer an offer). */
  attached: boolean;
}

/**
 * What the floor hands the platform at `start`: where to report, and a read-only view of the floor for a
 * platform that distributes calls itself (the simulator's ACD) or reconciles after a reconnect.
 */
export interface PlatformHost {
  agent(event: PlatformAgentEvent): void;
  queue(event: PlatformQueueEvent): void;
  /** One 20 ms frame of a track, pushed as it arrives; `at` is server time. The media clock pulls it through a jitter buffer. */
  audio(callId: string, track: PlatformTrack, frame: Int16Array, at: number): void;
  /** The agent an endpoint maps to; undefined for an endpoint that maps to nobody. */
  agentAt(endpoint: string): PlatformAgent | undefined;
  /** Every user who may handle calls, by endpoint. */
  agents(): Iterable<PlatformAgent>;
  /** Available agents, available longest first. */
  availableLongestFirst(): Iterable<PlatformAgent>;
  /** Calls a supervisor has taken over: the agent has left them, the customer is still on. */
  takenOverCallIds(): ReadonlySet<string>;
}
