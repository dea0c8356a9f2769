import type { BoardDelta, BoardSnapshot } from '@earshot/shared';
import { describe, expect, it } from 'vitest';
import { entry, EVERY_CAPABILITY, T0 } from '../testing/fixtures';
import { applyDelta, applyPushedSnapshot, applySnapshot, EMPTY_BOARD, subscribing } from './boardSync';

const snapshot: BoardSnapshot = {
  seq: 0,
  entries: [entry(7, 'Ben Baker', 'available'), entry(8, 'Chloe Cruz', 'talking')],
  teams: [{ id: 1, name: 'Billing' }],
  takenOver: [],
  platform: EVERY_CAPABILITY,
  at: T0,
};
const delta = (seq: number, rest: Partial<BoardDelta> = {}): BoardDelta => ({ seq, at: T0 + seq * 1000, ...rest });

describe('the board protocol', () => {
  it('a snapshot replaces the board and sets seq, teams and the clock offset', () => {
    const board = applySnapshot(snapshot, T0 - 5000);
    expect(board.phase).toBe('live');
    expect(board.seq).toBe(0);
    expect([...board.entries.keys()]).toEqual([7, 8]);
    expect(board.teams.get(1)).toBe('Billing');
    expect(board.clockOffset).toBe(5000);
  });

  it('applies the next delta in sequence: a changed entry, then a removed one', () => {
    let board = applySnapshot(snapshot, T0);
    const step1 = applyDelta(board, delta(1, { entry: entry(7, 'Ben Baker', 'ringing') }), T0 + 1000);
    expect(step1.resubscribe).toBe(false);
    board = step1.board;
    expect(board.seq).toBe(1);
    expect(board.entries.get(7)!.phone.state).toBe('ringing');
    const step2 = applyDelta(board, delta(2, { removedUserId: 8 }), T0 + 2000);
    expect(step2.resubscribe).toBe(false);
    expect([...step2.board.entries.keys()]).toEqual([7]);
    expect(step2.board.seq).toBe(2);
  });

  it('a delta carrying taken-over calls replaces them; one without leaves them', () => {
    const board = applySnapshot(snapshot, T0);
    const takenOver = [{ call: entry(8, 'x', 'talking').phone.call!, agentId: 8, supervisorId: 3, since: T0 }];
    const withCalls = applyDelta(board, delta(1, { takenOver }), T0).board;
    expect(withCalls.takenOver).toEqual(takenOver);
    expect(applyDelta(withCalls, delta(2, { entry: entry(7, 'Ben Baker', 'wrapUp') }), T0).board.takenOver).toEqual(takenOver);
  });

  it('a gap (a skipped seq) keeps the board as it is and asks for a fresh snapshot', () => {
    const board = applySnapshot(snapshot, T0);
    const step = applyDelta(board, delta(2, { entry: entry(7, 'Ben Baker', 'ringing') }), T0);
    expect(step.resubscribe).toBe(true);
    expect(step.board.phase).toBe('pending');
    expect(step.board.entries.get(7)!.phone.state).toBe('available');
  });

  it('a repeated or older seq is a gap too (a delta of an earlier subscription)', () => {
    const board = applyDelta(applySnapshot(snapshot, T0), delta(1), T0).board;
    expect(applyDelta(board, delta(1), T0).resubscribe).toBe(true);
  });

  it('deltas arriving while a subscribe is pending are ignored: its snapshot will hold them', () => {
    const pending = subscribing(applySnapshot(snapshot, T0));
    const step = applyDelta(pending, delta(1, { entry: entry(7, 'Ben Baker', 'ringing') }), T0);
    expect(step).toEqual({ board: pending, resubscribe: false });
    expect(applyDelta(EMPTY_BOARD, delta(1), T0)).toEqual({ board: EMPTY_BOARD, resubscribe: false });
  });

  it('a snapshot may start at any seq (a shared stream): the next delta is seq + 1', () => {
    const board = applySnapshot({ ...snapshot, seq: 41 }, T0);
    expect(applyDelta(board, delta(42, { removedUserId: 8 }), T0).board.seq).toBe(42);
    expect(applyDelta(board, delta(1), T0).resubscribe).toBe(true);
  });

  it('a pushed snapshot (scope changed) replaces a live or pending board; a board not subscribed stays empty', () => {
    const pushed: BoardSnapshot = { ...snapshot, seq: 9, entries: [entry(9, 'Dana Dale', 'notReady')], teams: [{ id: 2, name: 'Sales' }] };
    const live = applyDelta(applySnapshot(snapshot, T0), delta(1), T0).board;
    const replaced = applyPushedSnapshot(live, pushed, T0 + 100);
    expect(replaced.phase).toBe('live');
    expect(replaced.seq).toBe(9);
    expect([...replaced.entries.keys()]).toEqual([9]);
    expect(replaced.teams.get(2)).toBe('Sales');
    expect(applyPushedSnapshot(subscribing(live), pushed, T0).seq).toBe(9);
    expect(applyPushedSnapshot(EMPTY_BOARD, pushed, T0)).toBe(EMPTY_BOARD);
  });
});
