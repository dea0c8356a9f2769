import type { SupervisionSessionView } from '@earshot/shared';

/**
 * The seam for the session's audio (issue 6): the media plane's player and, in coach, barge and take
 * over, the supervisor's microphone. It receives the live session (its id, call and current mode, which
 * decides the tracks routed to this listener) and is mounted in the dock, which stays across pages, so
 * audio does not stop when the supervisor opens another page. Until issue 6 fills it, it says so.
 */
export function AudioPanel({ session }: { session: SupervisionSessionView }) {
  return (
    <div className="audio-panel" data-session-id={session.sessionId} data-mode={session.mode}>
      <span className="audio-icon" aria-hidden="true">♪</span>
      <span className="muted">Audio is not connected in this version.</span>
    </div>
  );
}
