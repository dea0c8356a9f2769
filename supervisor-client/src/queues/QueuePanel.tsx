import { ALERT_KIND_LABEL, type QueueAlert, type QueueFigures } from '@earshot/shared';
import { alertWords } from '../alerts/alertText';
import { formatDuration } from '../board/formatDuration';
import { PHONE_STATE_LABEL, WALLBOARD_ORDER } from '../board/phoneStates';
import { useLiveApp } from '../live/liveAppContext';
import { useStore } from '../live/store';
import { ErrorNote } from '../ui/ErrorNote';
import { useServerNow } from '../board/useServerNow';
import { percentText, serviceLevelWords } from './queueText';

/** The longest wait now, counted on from the server's figures. */
function longestWait(q: QueueFigures, now: number): number {
  return q.oldestWaitingSince === null ? 0 : Math.max(0, now - q.oldestWaitingSince);
}

function QueueCard({ q, now, alert }: { q: QueueFigures; now: number; alert: QueueAlert | undefined }) {
  const wait = longestWait(q, now);
  // The server says when the threshold is crossed; the ticking wait may get there a moment earlier.
  const over = q.overThreshold || (q.oldestWaitingSince !== null && wait > q.thresholdMs);
  const threshold = Math.round(q.thresholdMs / 1000);
  const headingId = `queue-${q.queue.replace(/\W+/g, '-')}`;
  return (
    <li className={`queue-card${over ? ' queue-over' : ''}${alert ? ' queue-alerted' : ''}`} aria-labelledby={headingId}>
      <div className="queue-head">
        <h3 id={headingId}>{q.queue}</h3>
        {over && <span className="queue-flag">Waiting over {threshold} s</span>}
        {alert && (
          <span className="alert-flag" title={alertWords(alert)}>
            {ALERT_KIND_LABEL.queueWait}
          </span>
        )}
      </div>
      <dl className="queue-figures">
        <div>
          <dt>Waiting</dt>
          <dd className="queue-waiting">{q.waiting}</dd>
        </div>
        <div>
          <dt>Longest wait</dt>
          <dd className="queue-longest ticking">{formatDuration(wait)}</dd>
        </div>
        <div>
          <dt>
            Service level <span className="queue-sub">30 min</span>
          </dt>
          <dd className="queue-sl-recent" title={serviceLevelWords(q.lastThirtyMinutes, threshold)}>
            {percentText(q.lastThirtyMinutes)}
          </dd>
        </div>
        <div>
          <dt>
            Service level <span className="queue-sub">today</span>
          </dt>
          <dd className="queue-sl-today" title={serviceLevelWords(q.today, threshold)}>
            {percentText(q.today)}
          </dd>
        </div>
        <div>
          <dt>
            Abandoned <span className="queue-sub">30 min / today</span>
          </dt>
          <dd className="queue-abandoned">
            {q.lastThirtyMinutes.abandoned} / {q.today.abandoned}
          </dd>
        </div>
        <div>
          <dt>Avg handle</dt>
          <dd className="queue-aht">{q.averageHandleMs === null ? '–' : formatDuration(q.averageHandleMs)}</dd>
        </div>
      </dl>
      <ul className="queue-agents" aria-label={`${q.queue} agents by state`}>
        {WALLBOARD_ORDER.filter((s) => q.agents[s] > 0).map((s) => (
          <li key={s} className={`state-${s}`}>
            <span className="queue-agent-count">{q.agents[s]}</span> {PHONE_STATE_LABEL[s]}
          </li>
        ))}
        {WALLBOARD_ORDER.every((s) => q.agents[s] === 0) && <li className="muted">No team takes this queue</li>}
      </ul>
    </li>
  );
}

/**
 * The queues in the supervisor's scope, live beside the board: callers waiting, the longest wait (ticking),
 * service level, abandoned callers, handle time and the queue's agents by state. A queue with a caller
 * waiting over its threshold stands out, in words as well as colour.
 */
export function QueuePanel({ alerts }: { alerts: ReadonlyMap<string, QueueAlert> }) {
  const app = useLiveApp();
  const state = useStore(app.queues);
  const now = useServerNow(state.clockOffset);
  if (state.phase === 'idle' && !state.error) return null;
  const over = state.queues.filter((q) => q.overThreshold || (q.oldestWaitingSince !== null && longestWait(q, now) > q.thresholdMs));
  return (
    <section className="queue-panel" aria-labelledby="queues-title">
      <div className="queue-panel-head">
        <h2 id="queues-title">Queues</h2>
        <span className="muted" role="status">
          {state.phase === 'pending' ? 'Loading…' : over.length > 0 ? `${over.length} over the wait threshold` : ''}
        </span>
      </div>
      <ErrorNote message={state.error} />
      {state.phase === 'live' && state.queues.length === 0 ? (
        <p className="muted queue-none">No queue is in your scope: a team takes the calls of the queue of its name.</p>
      ) : (
        <ul className="queue-list">
          {state.queues.map((q) => (
            <QueueCard key={q.queue} q={q} now={now} alert={alerts.get(q.queue)} />
          ))}
        </ul>
      )}
    </section>
  );
}
