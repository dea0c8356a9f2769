import { describe, expect, it } from 'vitest';
import { call, entry, T0 } from '../testing/fixtures';
import { boardRows, DEFAULT_FILTER, matchesSearch, stateCounts, stateLabel } from './boardView';

const teams = new Map([
  [1, 'Billing'],
  [2, 'Sales'],
]);
const entries = [
  entry(1, 'Ben Baker', 'available', { since: T0 - 60_000, teamIds: [1] }),
  entry(2, 'Chloe Cruz', 'talking', { since: T0 - 30_000, teamIds: [1], call: call({ startedAt: T0 - 45_000 }) }),
  entry(3, 'Hugo Hill', 'talking', { since: T0 - 90_000, teamIds: [2], call: call({ startedAt: T0 - 100_000 }) }),
  entry(4, 'Inès Ito', 'notReady', { since: T0 - 10_000, teamIds: [2], notReadyReason: 'Lunch' }),
  entry(5, 'Ava Adams', 'loggedOut', { since: T0 - 5_000, teamIds: [1] }),
];
const names = (rows: { displayName: string }[]) => rows.map((r) => r.displayName);

describe('board rows', () => {
  it('sort by state in wallboard order by default, names breaking ties', () => {
    expect(names(boardRows(entries, DEFAULT_FILTER, teams, T0))).toEqual(['Ben Baker', 'Chloe Cruz', 'Hugo Hill', 'Inès Ito', 'Ava Adams']);
  });

  it('filter by team and by state', () => {
    expect(names(boardRows(entries, { ...DEFAULT_FILTER, teamId: 2 }, teams, T0))).toEqual(['Hugo Hill', 'Inès Ito']);
    expect(names(boardRows(entries, { ...DEFAULT_FILTER, state: 'talking' }, teams, T0))).toEqual(['Chloe Cruz', 'Hugo Hill']);
  });

  it('search by name: every word, ignoring case and accents', () => {
    expect(names(boardRows(entries, { ...DEFAULT_FILTER, search: 'ines' }, teams, T0))).toEqual(['Inès Ito']);
    expect(matchesSearch('Chloe Cruz', 'cruz CHL')).toBe(true);
    expect(matchesSearch('Chloe Cruz', 'cruz x')).toBe(false);
  });

  it('sort by time in state, longest first when descending', () => {
    expect(names(boardRows(entries, { ...DEFAULT_FILTER, sort: 'timeInState', direction: 'desc' }, teams, T0))).toEqual([
      'Hugo Hill',
      'Ben Baker',
      'Chloe Cruz',
      'Inès Ito',
      'Ava Adams',
    ]);
  });

  it('sort by call duration: agents without a call first when ascending', () => {
    expect(names(boardRows(entries, { ...DEFAULT_FILTER, sort: 'callDuration', direction: 'asc' }, teams, T0))).toEqual([
      'Ava Adams',
      'Ben Baker',
      'Inès Ito',
      'Chloe Cruz',
      'Hugo Hill',
    ]);
  });

  it('sort by name and by team', () => {
    expect(names(boardRows(entries, { ...DEFAULT_FILTER, sort: 'name' }, teams, T0))).toEqual([
      'Ava Adams',
      'Ben Baker',
      'Chloe Cruz',
      'Hugo Hill',
      'Inès Ito',
    ]);
    expect(names(boardRows(entries, { ...DEFAULT_FILTER, sort: 'team', direction: 'desc' }, teams, T0))).toEqual([
      'Hugo Hill',
      'Inès Ito',
      'Ava Adams',
      'Ben Baker',
      'Chloe Cruz',
    ]);
  });
});

describe('wallboard counts', () => {
  it('count every state within the team filter, whatever the state filter', () => {
    expect(stateCounts(entries, { teamId: null, search: '' })).toEqual({
      available: 1,
      ringing: 0,
      talking: 2,
      held: 0,
      wrapUp: 0,
      notReady: 1,
      loggedOut: 1,
    });
    expect(stateCounts(entries, { teamId: 1, search: '' })).toEqual({
      available: 1,
      ringing: 0,
      talking: 1,
      held: 0,
      wrapUp: 0,
      notReady: 0,
      loggedOut: 1,
    });
  });
});

it('a not-ready state names its reason', () => {
  expect(stateLabel(entries[3]!)).toBe('Not ready: Lunch');
  expect(stateLabel(entries[1]!)).toBe('Talking');
});
