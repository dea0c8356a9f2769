import type { PhoneStateName } from '@earshot/shared';
import { PHONE_STATE_LABEL, WALLBOARD_ORDER } from './phoneStates';

/** The wallboard's counts per state; each tile filters the board to its state (pressed again: all). */
export function StateTiles({
  counts,
  selected,
  onSelect,
}: {
  counts: Record<PhoneStateName, number>;
  selected: PhoneStateName | null;
  onSelect: (state: PhoneStateName | null) => void;
}) {
  const total = WALLBOARD_ORDER.reduce((n, s) => n + counts[s], 0);
  return (
    <div className="state-tiles" role="group" aria-label="Agents per state">
      <button type="button" className="state-tile tile-all" aria-pressed={selected === null} onClick={() => onSelect(null)}>
        <span className="tile-count">{total}</span>
        <span className="tile-label">All agents</span>
      </button>
      {WALLBOARD_ORDER.map((state) => (
        <button
          key={state}
          type="button"
          className={`state-tile state-${state}`}
          aria-pressed={selected === state}
          onClick={() => onSelect(selected === state ? null : state)}
        >
          <span className="tile-count">{counts[state]}</span>
          <span className="tile-label">{PHONE_STATE_LABEL[state]}</span>
        </button>
      ))}
    </div>
  );
}
