import { PHONE_STATE_NAMES, type PhoneStateName } from '@earshot/shared';
import type { BoardFilter } from './boardView';
import { PHONE_STATE_LABEL } from './phoneStates';

/** Team and state filters and the name search. */
export function BoardToolbar({
  filter,
  teams,
  onChange,
  children,
}: {
  filter: BoardFilter;
  teams: ReadonlyMap<number, string>;
  onChange: (filter: BoardFilter) => void;
  children?: React.ReactNode;
}) {
  const sortedTeams = [...teams].sort((a, b) => a[1].localeCompare(b[1]));
  return (
    <div className="board-toolbar" role="search">
      <label>
        Team
        <select value={filter.teamId ?? ''} onChange={(e) => onChange({ ...filter, teamId: e.target.value === '' ? null : Number(e.target.value) })}>
          <option value="">All teams</option>
          {sortedTeams.map(([id, name]) => (
            <option key={id} value={id}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <label>
        State
        <select value={filter.state ?? ''} onChange={(e) => onChange({ ...filter, state: e.target.value === '' ? null : (e.target.value as PhoneStateName) })}>
          <option value="">All states</option>
          {PHONE_STATE_NAMES.map((s) => (
            <option key={s} value={s}>
              {PHONE_STATE_LABEL[s]}
            </option>
          ))}
        </select>
      </label>
      <label className="search">
        Search
        <input type="search" placeholder="Agent name" value={filter.search} onChange={(e) => onChange({ ...filter, search: e.target.value })} />
      </label>
      {children}
    </div>
  );
}
