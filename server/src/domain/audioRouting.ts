import type { MediaTrack, SupervisionMode } from '@earshot/shared';

/** The audio tracks of a call; each frame is tagged with one (docs/architecture.md "Media plane"). */
export type Track = MediaTrack;
/** Who listens: the same three parties. */
export type Listener = Track;

export interface RoutingOptions {
  /** The recording is paused for PCI (recording state `paused`). */
  pciPaused: boolean;
}

/**
 * docs/architecture.md "Media plane", the routing table, row by row; `none` is a call without supervision.
 * The agent hears nothing in a take-over: they have left the call.
 */
const ROUTES = {
  supervisor: { none: [], monitor: ['customer', 'agent'], coach: ['customer', 'agent'], barge: ['customer', 'agent'], takeOver: ['customer'] },
  agent: { none: ['customer'], monitor: ['customer'], coach: ['customer', 'supervisor'], barge: ['customer', 'supervisor'], takeOver: [] },
  customer: { none: ['agent'], monitor: ['agent'], coach: ['agent'], barge: ['agent', 'supervisor'], takeOver: ['supervisor'] },
} as const satisfies Record<Listener, Record<SupervisionMode | 'none', readonly Track[]>>;

/**
 * "While recording is paused for PCI, monitoring supervisors receive silence too (the live feed would
 * otherwise expose the card number the pause protects)." That is every supervisor the customer does not
 * know is listening: monitor and coach. A barging or taking-over supervisor is a party the customer
 * speaks to, and keeps the call's audio.
 */
const SILENCED_WHILE_PCI_PAUSED: ReadonlySet<SupervisionMode> = new Set(['monitor', 'coach']);

/** The tracks `listener` is routed, by mode (`null`: no supervision). The listener mixes them. */
export function tracksHeardBy(listener: Listener, mode: SupervisionMode | null, options: RoutingOptions): ReadonlySet<Track> {
  if (listener === 'supervisor' && options.pciPaused && mode !== null && SILENCED_WHILE_PCI_PAUSED.has(mode)) return new Set();
  return new Set(ROUTES[listener][mode ?? 'none']);
}

/**
 * The mode that routes the agent's and the customer's audio on a call with several sessions: the one
 * supervisor heard (one voice at a time, supervision.ts), else `monitor` when only monitors listen, else null.
 * Each supervisor's own feed follows their own session's mode.
 */
export function callRoutingMode(sessions: Iterable<{ readonly mode: SupervisionMode }>): SupervisionMode | null {
  // Asked for every frame of the call: a loop, no array built.
  let mode: SupervisionMode | null = null;
  for (const session of sessions) {
    if (session.mode !== 'monitor') return session.mode;
    mode = 'monitor';
  }
  return mode;
}

/** The two channels of the call's stereo WAV. */
export interface RecordedChannels {
  left: ReadonlySet<Track>;
  right: ReadonlySet<Track>;
}

/**
 * "customer on the left; agent (and barging or taking-over supervisor) on the right; coaching audio is
 * never mixed into the customer's side". After a take-over the agent has left the call, so their track
 * (the plugin may still stream the mic in wrap-up) is no longer recorded.
 */
const RIGHT_CHANNEL = {
  none: ['agent'],
  monitor: ['agent'],
  coach: ['agent'],
  barge: ['agent', 'supervisor'],
  takeOver: ['supervisor'],
} as const satisfies Record<SupervisionMode | 'none', readonly Track[]>;

export function recordedChannels(mode: SupervisionMode | null): RecordedChannels {
  return { left: new Set(['customer']), right: new Set(RIGHT_CHANNEL[mode ?? 'none']) };
}
