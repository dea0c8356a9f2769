import type { BoardEntry, PhoneStateName } from '@earshot/shared';
import { PHONE_STATE_LABEL, WALLBOARD_ORDER } from './phoneStates';

export type SortKey = 'name' | 'team' | 'state' | 'timeInState' | 'callDuration';
export type SortDirection = 'asc' | 'desc';

export interface BoardFilter {
  teamId: number | null;
  state: PhoneStateName | null;
  search: string;
  sort: SortKey;
  direction: SortDirection;
}

export const DEFAULT_FILTER: BoardFilter = { teamId: null, state: null, search: '', sort: 'state', direction: 'asc' };

export function teamNames(entry: BoardEntry, teams: ReadonlyMap<number, string>): string {
  return entry.teamIds.map((id) => teams.get(id) ?? `Team ${id}`).join(', ');
}

const inTeam = (entry: BoardEntry, teamId: number | null) => teamId === null || entry.teamIds.includes(teamId);

/** Name search: every word typed appears in the name, ignoring case and accents. */
export function matchesSearch(name: string, search: string): boolean {
  const fold = (s: string) =>
    s
      .normalize('NFD')
      .replace(/\p{Diacritic}/gu, '')
      .toLowerCase();
  const words = fold(search).split(/\s+/).filter(Boolean);
  const folded = fold(name);
  return words.every((w) => folded.includes(w));
}

/** The count per state of the agents the team filter and the search keep: the wallboard tiles. */
export function stateCounts(entries: Iterable<BoardEntry>, filter: Pick<BoardFilter, 'teamId' | 'search'>): Record<PhoneStateName, number> {
  const counts = Object.fromEntries(WALLBOARD_ORDER.map((s) => [s, 0])) as Record<PhoneStateName, number>;
  for (const e of entries) if (inTeam(e, filter.teamId) && matchesSearch(e.displayName, filter.search)) counts[e.phone.state] += 1;
  return counts;
}

/** The rows to show, filtered and sorted; ties fall back to the name so the order is stable. */
export function boardRows(entries: Iterable<BoardEntry>, filter: BoardFilter, teams: ReadonlyMap<number, string>, now: number): BoardEntry[] {
  const rows = [...entries].filter(
    (e) => inTeam(e, filter.teamId) && (filter.state === null || e.phone.state === filter.state) && matchesSearch(e.displayName, filter.search),
  );
  const byName = (a: BoardEntry, b: BoardEntry) => a.displayName.localeCompare(b.displayName);
  const key: Record<SortKey, (a: BoardEntry, b: BoardEntry) => number> = {
    name: byName,
    team: (a, b) => teamNames(a, teams).localeCompare(teamNames(b, teams)),
    state: (a, b) => WALLBOARD_ORDER.indexOf(a.phone.state) - WALLBOARD_ORDER.indexOf(b.phone.state),
    timeInState: (a, b) => b.phone.since - a.phone.since,
    callDuration: (a, b) => callDuration(a, now) - callDuration(b, now),
  };
  const sign = filter.direction === 'asc' ? 1 : -1;
  return rows.sort((a, b) => sign * key[filter.sort](a, b) || byName(a, b));
}

/**
 * Whether a row belongs on the board: someone who takes calls. A user in no team who is logged out of the
 * phone (an administrator who holds Handle Calls with every other right) is left out until they log in.
 */
export function takesCalls(entry: BoardEntry): boolean {
  return entry.teamIds.length > 0 || entry.phone.state !== 'loggedOut';
}

/** How long the agent's current call has lasted; -1 without a call, so calls sort after idle agents. */
export function callDuration(entry: BoardEntry, now: number): number {
  return entry.phone.call ? Math.max(0, now - entry.phone.call.startedAt) : -1;
}

export function stateLabel(entry: BoardEntry): string {
  const label = PHONE_STATE_LABEL[entry.phone.state];
  return entry.phone.state === 'notReady' && entry.phone.notReadyReason ? `${label}: ${entry.phone.notReadyReason}` : label;
}
