import { useLiveApp } from '../live/liveAppContext';
import { useStore } from '../live/store';

/**
 * The requests this supervisor acknowledged: they said they are on the way, so they see what the agent adds
 * meanwhile, until the request ends (the agent cancels, the call ends, they leave, the agent logs out).
 */
export function OnTheWay() {
  const app = useLiveApp();
  const requests = useStore(app.help);
  const rights = useStore(app.rights);
  const mine = requests.filter((h) => h.acknowledgedBy?.id === rights.userId).sort((a, b) => a.raisedAt - b.raisedAt);
  if (mine.length === 0) return null;
  return (
    <section className="on-the-way" aria-label="Help you are giving">
      {mine.map((h) => (
        <p key={h.helpId} className="on-the-way-item">
          <strong>You are on the way to {h.agent.name}</strong>
          <span className="muted">{h.callId ? ' during a call' : ''}</span>
          {h.message && <q>{h.message}</q>}
        </p>
      ))}
    </section>
  );
}
