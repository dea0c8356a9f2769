import { useMemo, useState } from 'react';
import { useFloorAlerts } from '../alerts/useFloorAlerts';
import { openHelpFor } from '../help/HelpAlerts';
import { useLiveApp } from '../live/liveAppContext';
import { useStore } from '../live/store';
import { ErrorNote } from '../ui/ErrorNote';
import { AgentPanel } from './AgentPanel';
import { BoardTable } from './BoardTable';
import { BoardToolbar } from './BoardToolbar';
import { boardRows, DEFAULT_FILTER, stateCounts, takesCalls, type BoardFilter, type SortKey } from './boardView';
import { useStoredFlag } from './useStoredFlag';
import { StateTiles } from './StateTiles';
import { TakenOverCalls } from './TakenOverCalls';
import { useServerNow } from './useServerNow';
import { QueuePanel } from '../queues/QueuePanel';

/** The live board: wallboard counts, filters, the agents in scope, and the picked agent's controls. */
export function BoardPage() {
  const app = useLiveApp();
  const { board, error } = useStore(app.board);
  const rights = useStore(app.rights);
  const { active } = useStore(app.supervision);
  const help = useStore(app.help);
  const now = useServerNow(board.clockOffset);
  const floorAlerts = useFloorAlerts();
  const [filter, setFilter] = useState<BoardFilter>(DEFAULT_FILTER);
  const [selectedId, setSelectedId] = useState<number | null>(null);

  const [hideLoggedOut, setHideLoggedOut] = useStoredFlag(`earshot.board.hideLoggedOut.${rights.userId}`);
  const onBoard = [...board.entries.values()].filter(takesCalls);
  const rows = boardRows(hideLoggedOut ? onBoard.filter((e) => e.phone.state !== 'loggedOut') : onBoard, filter, board.teams, now);
  const counts = stateCounts(onBoard, filter);
  const helpFrom = useMemo(() => new Set(openHelpFor(help, rights.userId).map((h) => h.agent.id)), [help, rights.userId]);
  const selected = selectedId === null ? null : (board.entries.get(selectedId) ?? null);

  const sortBy = (key: SortKey) => setFilter((f) => ({ ...f, sort: key, direction: f.sort === key && f.direction === 'asc' ? 'desc' : 'asc' }));

  return (
    <div className="board-page">
      <section className="board-main" aria-labelledby="board-title">
        <div className="page-heading">
          <h1 id="board-title">Live board</h1>
          <span className="muted">
            {board.phase === 'live'
              ? `${board.entries.size} ${board.entries.size === 1 ? 'agent' : 'agents'} in your scope`
              : board.phase === 'pending'
                ? 'Loading the floor…'
                : ''}
          </span>
        </div>
        <ErrorNote message={error} />
        <StateTiles counts={counts} selected={filter.state} onSelect={(state) => setFilter((f) => ({ ...f, state }))} />
        <BoardToolbar filter={filter} teams={board.teams} onChange={setFilter}>
          <label className="toggle">
            <input type="checkbox" checked={hideLoggedOut} onChange={(e) => setHideLoggedOut(e.target.checked)} />
            Hide logged out
          </label>
        </BoardToolbar>
        <div className="table-frame">
          <BoardTable
            rows={rows}
            teams={board.teams}
            now={now}
            filter={filter}
            selectedId={selectedId}
            helpFrom={helpFrom}
            alerts={floorAlerts.byAgent}
            onSort={sortBy}
            onSelect={setSelectedId}
          />
        </div>
        <TakenOverCalls calls={board.takenOver} agentName={(id) => board.entries.get(id)?.displayName ?? `Agent ${id}`} now={now} />
      </section>
      <div className="board-side">
        <QueuePanel alerts={floorAlerts.byQueue} />
        <AgentPanel entry={selected} teams={board.teams} now={now} rights={rights} mine={active} platform={board.platform} />
      </div>
    </div>
  );
}
