import { auditCallText, MONITORING_HISTORY_DAYS, type MonitoringHistory, type MonitoringHistoryEntry } from '@earshot/shared';
import { useCallback, useEffect, useId, useState } from 'react';
import type { AgentClient } from '../sdk/agentClient.js';
import { AgentClientError } from '../sdk/agentClientError.js';
import { modesText } from './noticeText.js';
import { formatDateTime, formatDurationWords } from './timeText.js';

export interface MonitoringHistoryViewProps {
  client: Pick<AgentClient, 'monitoringHistory'>;
}

/** The view's name: its heading, the button that opens it, the dialog it opens in. */
export const MONITORING_HISTORY_TITLE = 'Who listened to my calls';

type Loading = { status: 'loading' } | { status: 'loaded'; history: MonitoringHistory } | { status: 'failed'; error: string };

/** Why the history could not be read, in a sentence for the agent (the server's refusal as sent otherwise). */
export function historyErrorText(error: unknown): string {
  if (error instanceof AgentClientError) {
    if (error.code === 'FORBIDDEN') return 'Your profile does not hold Live Monitoring Notifications, so your monitoring history is not shown.';
    if (error.code === 'DISCONNECTED' || error.code === 'TIMEOUT') return 'Earshot could not be reached. Try again once the connection is back.';
  }
  return `Your monitoring history could not be read: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * "Who listened to my calls" (issue 13): each supervision of the agent's calls in the last
 * MONITORING_HISTORY_DAYS days, newest first, as the audit log kept it: who, the modes, when, how long,
 * and the call as people know it (queue, masked number, start; never its internal id). Read once when shown.
 */
export function MonitoringHistoryView({ client }: MonitoringHistoryViewProps) {
  const titleId = useId();
  const [loading, setLoading] = useState<Loading>({ status: 'loading' });
  // Returns what stops a late answer from landing: after an unmount, or once another client is shown.
  const load = useCallback(() => {
    let current = true;
    setLoading({ status: 'loading' });
    client.monitoringHistory().then(
      (history) => current && setLoading({ status: 'loaded', history }),
      (error: unknown) => current && setLoading({ status: 'failed', error: historyErrorText(error) }),
    );
    return () => {
      current = false;
    };
  }, [client]);
  useEffect(load, [load]);

  return (
    <section className="earshot-history" aria-labelledby={titleId} aria-busy={loading.status === 'loading'}>
      <h2 id={titleId} className="earshot-history__title">
        {MONITORING_HISTORY_TITLE}
      </h2>
      <p className="earshot-history__intro">
        Each time a supervisor listened to, coached, joined or took over one of your calls in the last {MONITORING_HISTORY_DAYS} days, as the audit log recorded
        it.
      </p>
      <p className="earshot-history__status" role="status">
        {loading.status === 'loading' && 'Loading who listened to your calls…'}
        {loading.status === 'loaded' && loading.history.entries.length === 0 && `Nobody listened to your calls in the last ${MONITORING_HISTORY_DAYS} days.`}
      </p>
      {loading.status === 'failed' && (
        <div className="earshot-history__error">
          <p role="alert">{loading.error}</p>
          <button type="button" className="earshot-button earshot-button--small" onClick={() => load()}>
            Try again
          </button>
        </div>
      )}
      {loading.status === 'loaded' && loading.history.entries.length > 0 && (
        <ol className="earshot-history__list" aria-labelledby={titleId}>
          {loading.history.entries.map((entry) => (
            <HistoryEntry key={`${entry.startedAt}-${entry.supervisor}-${entry.modes.join()}`} entry={entry} />
          ))}
        </ol>
      )}
    </section>
  );
}

function HistoryEntry({ entry }: { entry: MonitoringHistoryEntry }) {
  return (
    <li className="earshot-history__entry" data-mode={entry.modes[entry.modes.length - 1]}>
      <p className="earshot-history__who">
        <strong>{entry.supervisor}</strong>
        <span className="earshot-history__modes">{modesText(entry.modes)}</span>
      </p>
      <dl className="earshot-history__fields">
        <div>
          <dt>When</dt>
          <dd>
            <time dateTime={new Date(entry.startedAt).toISOString()}>{formatDateTime(entry.startedAt)}</time>
          </dd>
        </div>
        <div>
          <dt>How long</dt>
          <dd>{entry.durationMs === null ? 'Still going on, or its end was not recorded' : formatDurationWords(entry.durationMs)}</dd>
        </div>
        <div>
          <dt>Call</dt>
          <dd>{entry.call === null ? 'Not described in the log' : auditCallText(entry.call, formatDateTime)}</dd>
        </div>
      </dl>
    </li>
  );
}
