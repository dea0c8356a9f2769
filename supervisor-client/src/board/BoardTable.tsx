import { ALERT_KIND_LABEL, type AgentAlert, type BoardEntry, type Call } from '@earshot/shared';
import { alertWords } from '../alerts/alertText';
import { MODE_LABEL } from '../gating/liveControls';
import { callDuration, stateLabel, teamNames, type BoardFilter, type SortKey } from './boardView';
import { formatDuration } from './formatDuration';

const COLUMNS: { key: SortKey | null; label: string; className?: string }[] = [
  { key: 'name', label: 'Agent' },
  { key: 'team', label: 'Team' },
  { key: 'state', label: 'State' },
  { key: 'timeInState', label: 'In state', className: 'num' },
  { key: null, label: 'Call' },
  { key: 'callDuration', label: 'Duration', className: 'num' },
  { key: null, label: 'Recording' },
  { key: null, label: 'Supervised by' },
];

const RECORDING_BADGE = { on: 'Recording', paused: 'Paused', failed: 'Recording failed' } as const;

export function RecordingBadge({ recording }: { recording: Call['recording'] }) {
  if (recording === 'off') return <span className="rec rec-off">Off</span>;
  return <span className={`rec rec-${recording}`}>{RECORDING_BADGE[recording]}</span>;
}

export function CallSummary({ call }: { call: Call }) {
  return (
    <span className="call-summary">
      <span className={`direction direction-${call.direction}`} title={call.direction === 'inbound' ? 'Inbound' : 'Outbound'}>
        {call.direction === 'inbound' ? '↘' : '↗'}
        <span className="visually-hidden">{call.direction}</span>
      </span>
      <span className="queue">{call.queue}</span>
      <span className="number">{call.remoteNumberMasked}</span>
    </span>
  );
}

/** The board's rows: one agent each, its state coloured, time in state ticking; pick an agent to act on. */
export function BoardTable({
  rows,
  teams,
  now,
  filter,
  selectedId,
  helpFrom,
  alerts,
  onSort,
  onSelect,
}: {
  rows: readonly BoardEntry[];
  teams: ReadonlyMap<number, string>;
  now: number;
  filter: BoardFilter;
  selectedId: number | null;
  /** Agents with an open help request. */
  helpFrom: ReadonlySet<number>;
  /** The thresholds each agent is past now. */
  alerts: ReadonlyMap<number, readonly AgentAlert[]>;
  onSort: (key: SortKey) => void;
  onSelect: (userId: number) => void;
}) {
  return (
    <table className="board-table" aria-label="Live board">
      <thead>
        <tr>
          {COLUMNS.map((c) => (
            <th
              key={c.label}
              scope="col"
              className={c.className}
              aria-sort={c.key && filter.sort === c.key ? (filter.direction === 'asc' ? 'ascending' : 'descending') : undefined}
            >
              {c.key ? (
                <button type="button" className="sort-button" onClick={() => onSort(c.key!)}>
                  {c.label}
                  <span className="sort-mark" aria-hidden="true">
                    {filter.sort === c.key ? (filter.direction === 'asc' ? '▲' : '▼') : ''}
                  </span>
                </button>
              ) : (
                c.label
              )}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 && (
          <tr>
            <td colSpan={COLUMNS.length} className="empty-row">
              No agent matches.
            </td>
          </tr>
        )}
        {rows.map((entry) => {
          const { phone } = entry;
          const selected = entry.userId === selectedId;
          const passed = alerts.get(entry.userId) ?? [];
          const rowClass = [selected ? 'selected' : '', passed.length > 0 ? 'alerted' : ''].filter(Boolean).join(' ');
          return (
            <tr key={entry.userId} className={rowClass || undefined} data-agent-id={entry.userId} onClick={() => onSelect(entry.userId)}>
              <th scope="row">
                <button type="button" className="agent-name" aria-pressed={selected} onClick={() => onSelect(entry.userId)}>
                  {entry.displayName}
                </button>
                {helpFrom.has(entry.userId) && <span className="help-flag">Help</span>}
                {passed.map((a) => (
                  <span key={a.kind} className="alert-flag" title={alertWords(a)}>
                    {ALERT_KIND_LABEL[a.kind]}
                  </span>
                ))}
              </th>
              <td data-label="Team">{teamNames(entry, teams)}</td>
              <td data-label="State">
                <span className={`state-badge state-${phone.state}`}>{stateLabel(entry)}</span>
              </td>
              <td data-label="In state" className="num ticking">
                {formatDuration(now - phone.since)}
              </td>
              <td data-label="Call" className={phone.call ? undefined : 'no-call'}>
                {phone.call ? <CallSummary call={phone.call} /> : <span className="muted">—</span>}
              </td>
              <td data-label="Duration" className={`num ticking${phone.call ? '' : ' no-call'}`}>
                {phone.call ? formatDuration(callDuration(entry, now)) : <span className="muted">—</span>}
              </td>
              <td data-label="Recording" className={phone.call ? undefined : 'no-call'}>
                {phone.call ? <RecordingBadge recording={phone.call.recording} /> : <span className="muted">—</span>}
              </td>
              <td data-label="Supervised by" className={phone.call?.supervisions.length ? undefined : 'no-call'}>
                {phone.call?.supervisions.map((s) => (
                  <span key={s.sessionId} className={`mode-chip mode-${s.mode}`}>
                    {s.supervisorName} · {MODE_LABEL[s.mode]}
                  </span>
                ))}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
