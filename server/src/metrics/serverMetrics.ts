import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { SupervisionMode } from '@earshot/shared';
import type { FloorEvents } from '../live/floorEvents.js';
import type { MediaStats } from '../media/mediaPlane.js';

/** Which app a control socket says it is (its handshake's `client`); `other` when it says nothing. */
export type ControlSocketKind = 'supervisor' | 'agent' | 'other';

/** What the metrics read when scraped: the state of the edges, counted where it lives. */
export interface MetricSources {
  controlSockets(): Iterable<ControlSocketKind>;
  mediaSockets(): number;
  supervisionModes(): Iterable<SupervisionMode>;
  media(): MediaStats;
}

/** An action's outcome as its ack says it: `ok`, or the error code. */
export type ActionOutcome = 'ok' | string;

/**
 * The server's Prometheus metrics, one registry per server (a process may run several, as the tests do).
 * Gauges and the media counters are read from their sources at scrape time; actions and lockouts are
 * counted as they happen, by the gateway and the login.
 */
export class ServerMetrics {
  readonly registry = new Registry();
  private readonly actions: Counter<'action' | 'outcome'>;
  private readonly actionSeconds: Histogram<'action'>;
  private readonly lockouts: Counter;

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    // Process metrics, among them the event loop's delay (nodejs_eventloop_lag_*).
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'earshot_sockets_connected',
      help: 'Open sockets by kind: control sockets by the app that opened them, and media sockets',
      labelNames: ['kind'],
      registers,
      collect() {
        const counts = { supervisor: 0, agent: 0, other: 0, media: sources.mediaSockets() };
        for (const kind of sources.controlSockets()) counts[kind]++;
        for (const [kind, n] of Object.entries(counts)) this.set({ kind }, n);
      },
    });
    new Gauge({
      name: 'earshot_supervision_sessions',
      help: 'Supervision sessions in progress, by mode',
      labelNames: ['mode'],
      registers,
      collect() {
        this.reset();
        const counts = new Map<string, number>();
        for (const mode of sources.supervisionModes()) counts.set(mode, (counts.get(mode) ?? 0) + 1);
        for (const [mode, n] of counts) this.set({ mode }, n);
      },
    });
    // The media plane counts its frames per listening socket; these counters report its running totals.
    new Counter({
      name: 'earshot_media_frames_routed_total',
      help: 'Audio frames handed to listening media sockets, by listener',
      labelNames: ['listener'],
      registers,
      collect() {
        const { frames } = sources.media();
        this.reset();
        this.inc({ listener: 'agent' }, frames.agent.routed);
        this.inc({ listener: 'supervisor' }, frames.supervisor.routed);
      },
    });
    new Counter({
      name: 'earshot_media_frames_dropped_total',
      help: 'Audio frames dropped stale because a listener read too slowly, by listener',
      labelNames: ['listener'],
      registers,
      collect() {
        const { frames } = sources.media();
        this.reset();
        this.inc({ listener: 'agent' }, frames.agent.dropped);
        this.inc({ listener: 'supervisor' }, frames.supervisor.dropped);
      },
    });
    new Counter({
      name: 'earshot_media_sockets_too_slow_total',
      help: 'Media sockets closed as too slow (4408)',
      registers,
      collect() {
        this.reset();
        this.inc(sources.media().tooSlowClosed);
      },
    });
    new Counter({
      name: 'earshot_recorder_failures_total',
      help: 'Recordings whose file failed (a full disk, an I/O error)',
      registers,
      collect() {
        this.reset();
        this.inc(sources.media().recorderFailures);
      },
    });
    this.actions = new Counter({
      name: 'earshot_actions_total',
      help: 'Requests answered (socket.io actions and HTTP routes), by action and outcome (ok, or the error code)',
      labelNames: ['action', 'outcome'],
      registers,
    });
    this.actionSeconds = new Histogram({
      name: 'earshot_action_duration_seconds',
      help: 'Time from a request (socket.io action or HTTP route) to its answer, by action',
      labelNames: ['action'],
      registers,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    });
    this.lockouts = new Counter({
      name: 'earshot_login_lockouts_total',
      help: 'Failed logins that locked a username or an address out',
      registers,
    });
  }

  actionAnswered(action: string, outcome: ActionOutcome, seconds: number): void {
    this.actions.inc({ action, outcome });
    this.actionSeconds.observe({ action }, seconds);
  }

  loginLockedOut(): void {
    this.lockouts.inc();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}

/** The modes of the supervision sessions in progress, followed from the floor's session events. */
export function followSessionModes(events: Pick<FloorEvents, 'on'>): () => Iterable<SupervisionMode> {
  const modes = new Map<string, SupervisionMode>();
  events.on('sessionStarted', ({ session }) => modes.set(session.sessionId, session.mode));
  events.on('sessionChanged', ({ session }) => modes.set(session.sessionId, session.mode));
  events.on('sessionEnded', ({ session }) => modes.delete(session.sessionId));
  return () => modes.values();
}
