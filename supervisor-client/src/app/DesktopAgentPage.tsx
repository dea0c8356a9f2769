import { useLiveApp } from '../live/liveAppContext';
import { useStore } from '../live/store';
import { pagesFor } from '../gating/pageAccess';

/** Where the demo desktop agent is served, beside this app (server/src/http/staticApps.ts). */
export const DESKTOP_AGENT_PATH = '/agent/';

/**
 * The first page of someone who takes calls and supervises nobody: this app is for supervisors, and an empty
 * board of one would leave them wondering what to do. It says where their work is.
 */
export function DesktopAgentPage() {
  const app = useLiveApp();
  const rights = useStore(app.rights);
  const alsoBoard = pagesFor(rights).includes('board');
  return (
    <section className="desk-pointer">
      <h1>You take calls in the desktop agent</h1>
      <p>
        This is the supervisors' app. Your profile ({rights.profileName}) answers calls: set yourself available, answer, hold, record and ask a supervisor for
        help in the desktop agent.
      </p>
      <p>
        <a className="button-link primary" href={DESKTOP_AGENT_PATH}>
          Open the desktop agent
        </a>
      </p>
      {alsoBoard && <p className="muted">Your own phone state is also on the Live board of this app.</p>}
    </section>
  );
}
