import type { Call, MeRights, PlatformCapabilities, SupervisionSessionView } from '@earshot/shared';
import { MODE_LABEL, platformNote, recordingControls, sessionControls } from '../gating/liveControls';
import { useLiveApp } from '../live/liveAppContext';
import { runRecording } from '../live/recordingRequest';
import { useStore } from '../live/store';
import { ErrorNote } from '../ui/ErrorNote';
import { useAction } from '../ui/useAction';
import { formatDuration } from '../board/formatDuration';
import { useServerNow } from '../board/useServerNow';
import { AudioPanel } from './AudioPanel';
import { END_REASON_TEXT } from './endReasons';
import type { EndedSession } from './supervisionStore';

/**
 * The supervisor's sessions, at the foot of every page: the current mode, a switch to each mode the
 * profile holds, stop, and for each session the server ended, the reason.
 */
export function SessionDock() {
  const app = useLiveApp();
  const { active, ended } = useStore(app.supervision);
  const { board } = useStore(app.board);
  const rights = useStore(app.rights);
  const now = useServerNow(board.clockOffset);
  if (active.length === 0 && ended.length === 0) return null;

  /** The call as the board shows it now (on the agent's phone, or taken over). */
  const callOf = (s: SupervisionSessionView): Call | null => {
    const onPhone = board.entries.get(s.agentId)?.phone.call;
    if (onPhone?.callId === s.callId) return onPhone;
    return board.takenOver.find((t) => t.call.callId === s.callId)?.call ?? null;
  };

  return (
    <section className="session-dock" aria-label="Your supervision sessions">
      {active.map((s) => (
        <ActiveSession key={s.sessionId} session={s} call={callOf(s)} rights={rights} platform={board.platform} now={now} />
      ))}
      {ended.map((e) => (
        <EndedNotice key={e.sessionId} ended={e} onDismiss={() => app.supervision.dismiss(e.sessionId)} />
      ))}
    </section>
  );
}

function ActiveSession({
  session,
  call,
  rights,
  platform,
  now,
}: {
  session: SupervisionSessionView;
  call: Call | null;
  rights: MeRights;
  platform: PlatformCapabilities | null;
  now: number;
}) {
  const app = useLiveApp();
  const action = useAction();
  const controls = sessionControls(rights, session, platform);
  const recording = recordingControls(rights, call, platform);
  // A mode the profile gives but the platform does not carry is missing from the switch: the card says why.
  const note = session.mode === 'takeOver' ? null : platformNote(rights, platform);
  return (
    <article className={`session-card mode-edge-${session.mode}`} aria-label={`Session with ${session.agentName}`}>
      <div className="session-summary">
        <span className={`mode-chip mode-${session.mode}`} data-testid="session-mode">
          {MODE_LABEL[session.mode]}
        </span>
        <span>
          <strong>{session.agentName}</strong>
          {/* A call is its queue and masked number to people, never its internal id. */}
          {call && (
            <span className="muted">
              {' '}
              · {call.queue} · {call.remoteNumberMasked}
            </span>
          )}
        </span>
        <span className="ticking" title="Time in this mode">
          {formatDuration(now - session.since)}
        </span>
      </div>
      <div className="session-controls">
        {controls.switchTo.length > 0 && (
          <div role="group" aria-label="Switch mode" className="control-row">
            <span className="control-label" aria-hidden="true">
              Switch to
            </span>
            {controls.switchTo.map((mode) => (
              <button
                key={mode}
                type="button"
                className={`control mode-${mode}`}
                disabled={action.busy}
                onClick={() => void action.run(() => app.supervision.switchMode(session.sessionId, mode))}
              >
                {MODE_LABEL[mode]}
              </button>
            ))}
          </div>
        )}
        {controls.switchNote && <span className="muted">{controls.switchNote}</span>}
        {note && (
          <span className="muted control-reason" data-testid="platform-note">
            {note}
          </span>
        )}
        {call && recording.length > 0 && <span className="control-divider" aria-hidden="true" />}
        {call &&
          recording.map((c) => (
            <button
              key={c.action}
              type="button"
              className="control"
              disabled={!c.enabled || action.busy}
              onClick={() => void action.run(() => runRecording(app.connection, c.action, call.callId))}
            >
              {c.label}
            </button>
          ))}
        <button type="button" className="danger" disabled={action.busy} onClick={() => void action.run(() => app.supervision.stop(session.sessionId))}>
          {controls.stopLabel}
        </button>
      </div>
      <AudioPanel session={session} />
      <ErrorNote message={action.error} onDismiss={() => action.setError(null)} />
    </article>
  );
}

function EndedNotice({ ended, onDismiss }: { ended: EndedSession; onDismiss: () => void }) {
  return (
    <article className="session-card session-ended" role="status" aria-label={`Ended session with ${ended.agentName}`}>
      <span className={`mode-chip mode-${ended.mode}`}>{MODE_LABEL[ended.mode]}</span>
      <span>
        Session with <strong>{ended.agentName}</strong> ended: <span className="end-reason">{END_REASON_TEXT[ended.reason]}</span>
      </span>
      <button type="button" className="link-button" onClick={onDismiss}>
        Dismiss
      </button>
    </article>
  );
}
