import type { HelpRequestView } from '@earshot/shared';
import { agentControls } from '../gating/liveControls';
import { useLiveApp } from '../live/liveAppContext';
import { useStore } from '../live/store';
import { useAction } from '../ui/useAction';
import { ErrorNote } from '../ui/ErrorNote';

/** The open help requests of agents in scope; the user's own (an agent using this app) are not alerts to them. */
export function openHelpFor(requests: readonly HelpRequestView[], userId: number): HelpRequestView[] {
  return requests.filter((h) => h.acknowledgedBy === null && h.agent.id !== userId).sort((a, b) => a.raisedAt - b.raisedAt);
}

export function HelpAlerts() {
  const app = useLiveApp();
  const requests = useStore(app.help);
  const rights = useStore(app.rights);
  const open = openHelpFor(requests, rights.userId);
  if (open.length === 0) return null;
  return (
    <section className="help-alerts" aria-label="Help requests">
      {open.map((h) => (
        <HelpAlert key={h.helpId} help={h} />
      ))}
    </section>
  );
}

/**
 * "Listen": a monitor on the call the agent asked for help on, offered only to a holder of Live Monitor
 * while the agent is still on that call (and not already supervised by this user).
 */
function useListen(help: HelpRequestView) {
  const app = useLiveApp();
  const rights = useStore(app.rights);
  const { board } = useStore(app.board);
  const { active } = useStore(app.supervision);
  const entry = board.entries.get(help.agent.id);
  if (!entry || help.callId === null || entry.phone.call?.callId !== help.callId) return null;
  const monitor = agentControls(rights, entry, active, board.platform).find((c) => c.kind === 'supervise' && c.mode === 'monitor');
  return monitor?.enabled ? () => app.supervision.start(help.agent.id, 'monitor') : null;
}

function HelpAlert({ help }: { help: HelpRequestView }) {
  const app = useLiveApp();
  const ack = useAction();
  const listen = useListen(help);
  const listening = useAction();
  const raised = new Date(help.raisedAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return (
    <div className="help-alert" role="alert">
      <span className="help-icon" aria-hidden="true">
        !
      </span>
      <div className="help-text">
        <strong>{help.agent.name} asks for help</strong>
        <span className="muted">
          {help.callId ? ' during a call' : ''} · {raised}
        </span>
        {help.message && <q>{help.message}</q>}
        <ErrorNote message={ack.error ?? listening.error} />
      </div>
      {listen && (
        <button type="button" disabled={listening.busy} onClick={() => void listening.run(listen)}>
          Listen<span className="visually-hidden"> to the call of {help.agent.name}</span>
        </button>
      )}
      <button type="button" className="primary" disabled={ack.busy} onClick={() => void ack.run(() => app.help.acknowledge(help.helpId))}>
        Acknowledge<span className="visually-hidden"> the help request of {help.agent.name}</span>
      </button>
    </div>
  );
}
