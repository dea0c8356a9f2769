import type { SupervisionMode } from '@earshot/shared';
import type { OpenSupervision } from './repositories.js';

/** An `open_supervisions` row as both stores read it back. */
export interface OpenSupervisionRow {
  session_id: string;
  call_id: string;
  agent_id: number;
  supervisor_id: number;
  supervisor_name: string;
  mode: SupervisionMode;
  started_at: number;
  mode_since: number;
  node_id: string | null;
}

export const openSupervisionFromRow = (r: OpenSupervisionRow): OpenSupervision => ({
  sessionId: r.session_id,
  callId: r.call_id,
  agentId: r.agent_id,
  supervisor: { id: r.supervisor_id, name: r.supervisor_name },
  mode: r.mode,
  startedAt: r.started_at,
  modeSince: r.mode_since,
  nodeId: r.node_id,
});
