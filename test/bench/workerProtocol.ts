/**
 * What the bench runner and its load-generator processes say to each other over the IPC channel
 * (`serialization: 'advanced'`, so typed arrays travel as they are). Bench-internal: nothing here is
 * the product's wire, which lives in @earshot/shared.
 */
import type { AgentSpec, SupervisorSpec, TargetKind } from './benchPlan.js';
import type { HistogramData } from './latencyHistogram.js';

export interface WorkerAgent extends AgentSpec {
  token: string;
  /** The node this connection opens at (several nodes: the agent's home); unset: the target's URL. */
  url?: string;
}

export interface WorkerSupervisor extends SupervisorSpec {
  token: string;
  /** How many agents the board must show them. */
  visibleCount: number;
  /** The call agents in their scope (the relay has no calls to read them from). */
  callAgentIds: number[];
  /** The node this connection opens at; unset: the target's URL. */
  url?: string;
}

export interface TargetInfo {
  kind: TargetKind;
  url: string;
}

export interface RunWindow {
  startUs: number;
  /** Samples from changes sent before this are warm-up and not counted. */
  measureFromUs: number;
  endUs: number;
  /** This worker's share of the plan's rates. */
  changesPerSecond: number;
  supervisionsPerSecond: number;
  supervisionHoldMs: number;
}

export type WorkerCommand =
  | { type: 'init'; target: TargetInfo; agents: WorkerAgent[]; supervisors: WorkerSupervisor[] }
  /** Connects this worker's agents from `fromShare` to `toShare` of its list (0..1). */
  | { type: 'connectAgents'; fromShare: number; toShare: number }
  | { type: 'connectSupervisors' }
  | { type: 'callAgentsReady' }
  | { type: 'run'; window: RunWindow }
  | { type: 'progress' }
  | { type: 'collect' }
  | { type: 'analyze'; sends: SendTable; measureFromUs: number; endUs: number }
  | { type: 'close' };

/** How far the stream got: the runner waits for it to settle before counting what was lost. */
export interface Progress {
  receipts: number;
  pendingAcks: number;
}

export interface PhaseResult {
  ok: number;
  failed: number;
  errors: string[];
}

/** Status changes that were acked ok: (agent, change number, send time). */
export interface SendTable {
  agentIds: Int32Array;
  ks: Int32Array;
  sendUs: Float64Array;
  sendWallMs: Float64Array;
}

export interface Collected {
  sends: SendTable;
  supervisionStarts: { sessionId: string; sendUs: number }[];
  notices: { sessionId: string; phase: string; recvUs: number }[];
  receipts: number;
  /** Every `board:delta` received within the measured window, by the URL its socket opened at: what each node delivered. */
  deltasByUrl: Record<string, number>;
}

export interface Analysis {
  stateToSupervisor: HistogramData;
  /** The same latency split at the server's `at` (wall clock, whole ms): send → applied, applied → received. */
  agentToServer: HistogramData;
  serverToSupervisor: HistogramData;
  /** The worst state → supervisor latency (µs) of the changes sent in each second of the window: stalls show here. */
  worstBySecondUs: number[];
  matched: number;
  /** Receipts naming a change nobody acked as sent. */
  unmatched: number;
  /** Receipts of a change number at or below one the same board already had (repeats, reorders). */
  outOfOrder: number;
  /** Change numbers a board skipped (a lost delta shows here too). */
  skipped: number;
  /** `board:delta` seq not following the previous one of its subscription. */
  seqGaps: number;
  seqBackwards: number;
  ackStatus: HistogramData;
  ackSuperviseStart: HistogramData;
  ackSuperviseStop: HistogramData;
  counters: Record<string, number>;
}

export type WorkerReply = { type: 'reply'; id: number; data: unknown } | { type: 'error'; id: number; message: string };
