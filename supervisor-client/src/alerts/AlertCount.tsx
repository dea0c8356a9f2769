import { useCallback } from 'react';
import { openHelpFor } from '../help/HelpAlerts';
import { useLiveApp } from '../live/liveAppContext';
import { useStore } from '../live/store';
import { useAlertSignals } from './alertSignals';
import { useFloorAlerts } from './useFloorAlerts';

/**
 * The top bar's count of what needs a supervisor's eye: rows and queues past a threshold, and open help
 * requests. It links to the board, where each is marked; a new one is also signalled as the user chose.
 */
export function AlertCount({ onOpenBoard }: { onOpenBoard: () => void }) {
  const app = useLiveApp();
  const rights = useStore(app.rights);
  const help = useStore(app.help);
  const settings = useStore(app.alerts);
  const { board } = useStore(app.board);
  const floor = useFloorAlerts();
  const openHelp = openHelpFor(help, rights.userId);
  const agentName = useCallback((id: number) => board.entries.get(id)?.displayName ?? `Agent ${id}`, [board.entries]);
  useAlertSignals(floor, openHelp, agentName, settings);
  if (!rights.rights.includes('phoneState.view')) return null;

  const count = floor.alerts.length + openHelp.length;
  const parts = [`${floor.alerts.length} past a threshold`, `${openHelp.length} ${openHelp.length === 1 ? 'help request' : 'help requests'}`];
  return (
    <a
      href="/board"
      className={`alert-count${count > 0 ? ' has-alerts' : ''}`}
      aria-live="polite"
      title={parts.join(', ')}
      onClick={(e) => {
        e.preventDefault();
        onOpenBoard();
      }}
    >
      {count === 0 ? 'No alerts' : `${count} ${count === 1 ? 'alert' : 'alerts'}`}
    </a>
  );
}
