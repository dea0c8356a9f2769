import type { BoardEntry, MeRights, PlatformCapabilities, SupervisionSessionView } from '@earshot/shared';
import { agentControls, MODE_LABEL, platformNote, type LiveControl } from '../gating/liveControls';
import { useLiveApp } from '../live/liveAppContext';
import { ErrorNote } from '../ui/ErrorNote';
import { useAction } from '../ui/useAction';
import { CallSummary, RecordingBadge } from './BoardTable';
import { stateLabel, teamNames } from './boardView';
import { formatDuration } from './formatDuration';
import { runRecording } from '../live/recordingRequest';

/** The picked agent: their call in full and the controls this user's rights give on it. */
export function AgentPanel({
  entry,
  teams,
  now,
  rights,
  mine,
  platform,
}: {
  entry: BoardEntry | null;
  teams: ReadonlyMap<number, string>;
  now: number;
  rights: MeRights;
  mine: readonly SupervisionSessionView[];
  /** What the server's telephony carries: nothing else is offered. */
  platform: PlatformCapabilities | null;
}) {
  if (!entry) {
    return (
      <aside className="agent-panel" aria-label="Agent">
        <p className="muted panel-hint">Pick an agent on the board to see their call and the controls your profile gives you.</p>
      </aside>
    );
  }
  const { phone } = entry;
  return (
    <aside className="agent-panel" aria-label={`Agent ${entry.displayName}`}>
      <header>
        <h2>{entry.displayName}</h2>
        <span className="muted">{teamNames(entry, teams)}</span>
      </header>
      <dl className="facts">
        <dt>State</dt>
        <dd>
          <span className={`state-badge state-${phone.state}`}>{stateLabel(entry)}</span> <span className="ticking">{formatDuration(now - phone.since)}</span>
        </dd>
        {phone.call && (
          <>
            <dt>Call</dt>
            <dd>
              <CallSummary call={phone.call} />
            </dd>
            <dt>Duration</dt>
            <dd className="ticking">{formatDuration(now - phone.call.startedAt)}</dd>
            <dt>Recording</dt>
            <dd>
              <RecordingBadge recording={phone.call.recording} />
            </dd>
            <dt>Supervisors</dt>
            <dd>
              {phone.call.supervisions.length === 0 ? 'Nobody' : phone.call.supervisions.map((s) => `${s.supervisorName} (${MODE_LABEL[s.mode]})`).join(', ')}
            </dd>
          </>
        )}
      </dl>
      {/* Keyed by agent: a refusal shown for one agent does not linger on the next. */}
      <AgentControls key={entry.userId} controls={agentControls(rights, entry, mine, platform)} note={platformNote(rights, platform)} entry={entry} />
    </aside>
  );
}

function AgentControls({ controls, note, entry }: { controls: LiveControl[]; note: string | null; entry: BoardEntry }) {
  const app = useLiveApp();
  const action = useAction();
  const platformReason = note && (
    <p className="muted control-reason" data-testid="platform-note">
      {note}
    </p>
  );
  if (controls.length === 0) {
    return (
      <>
        <p className="muted">Your profile gives you no control over this call.</p>
        {platformReason}
      </>
    );
  }
  const press = (c: LiveControl) =>
    action.run(() => (c.kind === 'supervise' ? app.supervision.start(entry.userId, c.mode) : runRecording(app.connection, c.action, entry.phone.call!.callId)));
  const supervise = controls.filter((c) => c.kind === 'supervise');
  const recording = controls.filter((c) => c.kind === 'recording');
  const reasons = [...new Set(controls.map((c) => c.reason).filter((r): r is string => r !== null))];
  return (
    <div className="agent-controls">
      {supervise.length > 0 && (
        <div role="group" aria-label="Supervise" className="control-row">
          {supervise.map((c) => (
            <button
              key={c.mode}
              type="button"
              className={`control mode-${c.mode}`}
              disabled={!c.enabled || action.busy}
              onClick={() => void press(c)}
              title={c.reason ?? undefined}
            >
              {c.label}
            </button>
          ))}
        </div>
      )}
      {recording.length > 0 && (
        <div role="group" aria-label="Recording" className="control-row">
          {recording.map((c) => (
            <button
              key={c.action}
              type="button"
              className="control"
              disabled={!c.enabled || action.busy}
              onClick={() => void press(c)}
              title={c.reason ?? undefined}
            >
              {c.label}
            </button>
          ))}
        </div>
      )}
      {reasons.map((r) => (
        <p key={r} className="muted control-reason">
          {r}
        </p>
      ))}
      {platformReason}
      <ErrorNote message={action.error} onDismiss={() => action.setError(null)} />
    </div>
  );
}
