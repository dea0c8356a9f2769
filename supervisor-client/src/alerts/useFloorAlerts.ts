import { floorAlerts, type AgentAlert, type FloorAlert, type QueueAlert } from '@earshot/shared';
import { useMemo } from 'react';
import { takesCalls } from '../board/boardView';
import { useServerNow } from '../board/useServerNow';
import { useLiveApp } from '../live/liveAppContext';
import { useStore } from '../live/store';

export interface FloorAlertsView {
  /** False until the board, the queues and the thresholds are all in: nothing is new before that. */
  ready: boolean;
  alerts: readonly FloorAlert[];
  byAgent: ReadonlyMap<number, readonly AgentAlert[]>;
  byQueue: ReadonlyMap<string, QueueAlert>;
}

/**
 * The alerts on the user's floor now, ticking with the server's clock. Computed here, from the board's and
 * the queues' timestamps, with the user's own thresholds: time passing crosses a threshold without any
 * message, and each user's thresholds differ.
 */
export function useFloorAlerts(): FloorAlertsView {
  const app = useLiveApp();
  const { board } = useStore(app.board);
  const queues = useStore(app.queues);
  const settings = useStore(app.alerts);
  const now = useServerNow(board.clockOffset);
  return useMemo(() => {
    const ready = settings !== null && board.phase === 'live' && queues.phase === 'live';
    const phones = [...board.entries.values()].filter(takesCalls).map((e) => e.phone);
    const alerts = settings ? floorAlerts(phones, queues.queues, settings.effective, now) : [];
    const byAgent = new Map<number, AgentAlert[]>();
    const byQueue = new Map<string, QueueAlert>();
    for (const a of alerts) {
      if (a.kind === 'queueWait') byQueue.set(a.queue, a);
      else byAgent.set(a.userId, [...(byAgent.get(a.userId) ?? []), a]);
    }
    return { ready, alerts, byAgent, byQueue };
  }, [board, queues, settings, now]);
}
