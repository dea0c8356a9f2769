import {
  frameSamples,
  silencedCopy,
  trackCode,
  SUPERVISION_MODES,
  type Call,
  type MediaFrameHeader,
  type MediaTrack,
  type RecordingState,
  type SupervisionMode,
} from '@earshot/shared';
import { callRoutingMode, recordedChannels, tracksHeardBy, type Listener, type Track } from '../domain/audioRouting.js';
import type { CallRecorder } from './callRecorder.js';
import type { MediaConsumer } from './mediaConsumer.js';
import { PlatformTrackPace } from './platformTrackPace.js';

/** A supervision session on the call, and the socket its supervisor listens (and maybe speaks) on. */
export interface SupervisorLeg {
  readonly sessionId: string;
  mode: SupervisionMode;
  consumer: MediaConsumer | null;
}

/** A frame handed to a listener's socket, as observers (metrics, tests) see it. */
export interface RoutedFrame {
  callId: string;
  to: 'agent' | 'supervisor';
  /** The supervisor's session; null for the agent. */
  sessionId: string | null;
  /** The listener's mode when the frame was routed: the session's, or the call's for the agent. */
  mode: SupervisionMode | null;
  track: MediaTrack;
  seq: number;
  silenced: boolean;
}

/** Where routed audio leaves the media plane for the telephony platform, which carries it into the call. */
export interface RouteSinks {
  /** The agent's voice from the desktop agent, when the customer hears the agent: the platform plays it to the customer. */
  agentVoice(callId: string, samples: Int16Array): void;
  /** A supervisor's voice in a mode someone on the call hears (coach, barge, take over): the platform plays it by the leg's mode. */
  supervisorVoice(sessionId: string, samples: Int16Array): void;
  /** Null when nobody observes (the common case): no event is built. */
  observe: ((routed: RoutedFrame) => void) | null;
}

type ModeKey = SupervisionMode | 'none';
const MODE_KEYS: readonly ModeKey[] = ['none', ...SUPERVISION_MODES];

/** A set of tracks as bits, by track code (`frame.ts`: byte 1 of the header). */
const CUSTOMER_BIT = 1 << trackCode('customer');
const AGENT_BIT = 1 << trackCode('agent');
const SUPERVISOR_BIT = 1 << trackCode('supervisor');
const bitOf = (track: Track) => (track === 'customer' ? CUSTOMER_BIT : track === 'agent' ? AGENT_BIT : SUPERVISOR_BIT);
const maskOf = (tracks: ReadonlySet<Track>) => [...tracks].reduce((m, t) => m | bitOf(t), 0);

/** What each listener hears in one mode, playing and paused for PCI, and what goes to the recording's right channel, as bits. */
interface ModeRoutes {
  readonly customer: { readonly playing: number; readonly paused: number };
  readonly agent: { readonly playing: number; readonly paused: number };
  readonly supervisor: { readonly playing: number; readonly paused: number };
  readonly recordedRight: number;
}

/**
 * `tracksHeardBy` and `recordedChannels` for every listener, mode and pause, asked once at load: the
 * router consults them for every frame and listener, and this way allocates nothing and looks up one
 * entry per mode, the rest plain fields and bit tests.
 */
const ROUTES_BY_MODE = Object.fromEntries(
  MODE_KEYS.map((m) => {
    const mode = m === 'none' ? null : m;
    const heardBy = (listener: Listener) => ({
      playing: maskOf(tracksHeardBy(listener, mode, { pciPaused: false })),
      paused: maskOf(tracksHeardBy(listener, mode, { pciPaused: true })),
    });
    const routes: ModeRoutes = {
      customer: heardBy('customer'),
      agent: heardBy('agent'),
      supervisor: heardBy('supervisor'),
      recordedRight: maskOf(recordedChannels(mode).right),
    };
    return [m, routes];
  }),
) as Record<ModeKey, ModeRoutes>;

const { none: NONE, monitor: MONITOR, coach: COACH, barge: BARGE, takeOver: TAKE_OVER } = ROUTES_BY_MODE;

/** A switch, not `ROUTES_BY_MODE[mode]`: one lookup site with five keys is a megamorphic load on every frame. */
function routesOf(mode: SupervisionMode | null): ModeRoutes {
  switch (mode) {
    case 'monitor':
      return MONITOR;
    case 'coach':
      return COACH;
    case 'barge':
      return BARGE;
    case 'takeOver':
      return TAKE_OVER;
    default:
      return NONE;
  }
}
const heardIn = (heard: { playing: number; paused: number }, pciPaused: boolean) => (pciPaused ? heard.paused : heard.playing);

/**
 * The media state of one live call on this node: who listens, in which mode, and its recorder. Routing is
 * `audioRouting.ts`, applied frame by frame, so a mode change applies from the next frame on.
 */
export class CallMedia {
  readonly sessions = new Map<string, SupervisorLeg>();
  agent: MediaConsumer | null = null;
  recorder: CallRecorder | null = null;
  recording: RecordingState;
  /** The agent left the call to a supervisor who took it over. */
  takenOver = false;
  /**
   * The tracks the platform pushes, each forwarded as it arrives. The customer's is carried by every
   * platform, so it is late from the start when nothing comes; the agent's only once the platform carries it.
   */
  readonly fromPlatform = { customer: new PlatformTrackPace(true), agent: new PlatformTrackPace(false) };

  constructor(
    readonly callId: string,
    readonly agentId: number,
    /** The call as it was when its audio began: what a recording of it lists. */
    readonly call: Call,
  ) {
    this.recording = call.recording;
  }

  /** The mode that routes the agent's and the customer's audio: the heard supervisor's, else monitor, else none. */
  routingMode(): SupervisionMode | null {
    return callRoutingMode(this.sessions.values());
  }

  /** Someone needs the telephony leg's audio: a listener, or the recorder. */
  wantsAudio(): boolean {
    if (this.agent !== null || this.recorder !== null) return true;
    for (const leg of this.sessions.values()) if (leg.consumer !== null) return true;
    return false;
  }

  /**
   * Forwards one frame to every listener the routing table gives it, in the mode that holds now. A
   * supervisor's frame is routed by its own session's mode (a monitor's microphone reaches nobody, even
   * while another supervisor coaches); the customer's and the agent's by the call's. While the recording
   * is paused for PCI, a supervisor the pause silences gets the frame's header over silence, and nothing
   * reaches the recorder (its clock writes silence). `header.timestamp` is when the frame reached this
   * server; `recorded` false for the silence that stands in for a late frame (the recorder fills its own gaps).
   * `framed`: the frame as a whole WebSocket message, built once for its listeners (`wsFramedFrame.ts`).
   */
  route(
    frame: Uint8Array,
    header: MediaFrameHeader,
    speaker: SupervisorLeg | null,
    sinks: RouteSinks,
    samples?: Int16Array,
    recorded = true,
    framed?: Uint8Array,
  ): void {
    const { track } = header;
    const bit = bitOf(track);
    const pciPaused = this.recording === 'paused';
    const mode = speaker ? speaker.mode : this.routingMode();
    const routes = routesOf(mode);
    let decoded = samples;
    const samplesOf = () => (decoded ??= frameSamples(frame));

    if (track === 'agent' && heardIn(routes.customer, pciPaused) & bit) sinks.agentVoice(this.callId, samplesOf());
    if (speaker && speaker.mode !== 'monitor') sinks.supervisorVoice(speaker.sessionId, samplesOf());
    if (this.agent && !this.takenOver && track !== 'agent' && heardIn(routes.agent, pciPaused) & bit) {
      this.agent.push(frame, framed);
      sinks.observe?.({ callId: this.callId, to: 'agent', sessionId: null, mode, track, seq: header.seq, silenced: false });
    }
    let silenced: Uint8Array | null = null;
    for (const leg of this.sessions.values()) {
      if (!leg.consumer || leg === speaker) continue;
      const hears = routesOf(leg.mode).supervisor;
      let out: Uint8Array | null = null;
      if (heardIn(hears, pciPaused) & bit) out = frame;
      else if (pciPaused && hears.playing & bit) out = silenced ??= silencedCopy(frame);
      if (!out) continue;
      leg.consumer.push(out, out === frame ? framed : undefined);
      sinks.observe?.({ callId: this.callId, to: 'supervisor', sessionId: leg.sessionId, mode: leg.mode, track, seq: header.seq, silenced: out !== frame });
    }

    if (!this.recorder || pciPaused || !recorded) return;
    if (track === 'customer' || routes.recordedRight & bit) this.recorder.accept(track, samplesOf(), header.timestamp);
  }

  /** Every socket of the call, closed with the same code and reason. */
  closeAll(code: number, reason: string): void {
    this.agent?.close(code, reason);
    this.agent = null;
    for (const leg of this.sessions.values()) {
      leg.consumer?.close(code, reason);
      leg.consumer = null;
    }
  }
}
