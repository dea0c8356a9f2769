import type { BoardDelta, BoardEntry, BoardSnapshot, PlatformCapabilities, TakenOverCallView } from '@earshot/shared';

/**
 * The board as this client holds it, kept by the board protocol: `board:subscribe` answers a snapshot
 * with `seq`; each `board:delta` carries the next `seq`; a client that sees a gap subscribes again
 * (docs/architecture.md "Control plane").
 */
export interface BoardState {
  /** `pending`: a subscribe is on its way; deltas are ignored until its snapshot arrives. */
  phase: 'idle' | 'pending' | 'live';
  seq: number;
  entries: ReadonlyMap<number, BoardEntry>;
  teams: ReadonlyMap<number, string>;
  takenOver: readonly TakenOverCallView[];
  /** What the server's telephony carries (from the snapshot): the controls offered follow it. Null before the first snapshot. */
  platform: PlatformCapabilities | null;
  /** Server time minus client time when the last message arrived: time in state is shown in server time. */
  clockOffset: number;
}

export const EMPTY_BOARD: BoardState = { phase: 'idle', seq: 0, entries: new Map(), teams: new Map(), takenOver: [], platform: null, clockOffset: 0 };

export type BoardStep = { board: BoardState; resubscribe: boolean };

export function subscribing(board: BoardState): BoardState {
  return { ...board, phase: 'pending' };
}

export function applySnapshot(snapshot: BoardSnapshot, receivedAt: number): BoardState {
  return {
    phase: 'live',
    seq: snapshot.seq,
    entries: new Map(snapshot.entries.map((e) => [e.userId, e])),
    teams: new Map(snapshot.teams.map((t) => [t.id, t.name])),
    takenOver: snapshot.takenOver,
    platform: snapshot.platform,
    clockOffset: snapshot.at - receivedAt,
  };
}

/**
 * A snapshot the server pushed (`board:snapshot`: the subscriber's scope may have changed): it replaces the
 * board. A board that is not subscribed (never, or cleared when the phone view was lost) stays empty.
 */
export function applyPushedSnapshot(board: BoardState, snapshot: BoardSnapshot, receivedAt: number): BoardState {
  return board.phase === 'idle' ? board : applySnapshot(snapshot, receivedAt);
}

/**
 * One delta. The next in sequence is applied; anything else is a gap (a lost delta, or one of an earlier
 * subscription): the board stays as it is and asks for a fresh snapshot.
 */
export function applyDelta(board: BoardState, delta: BoardDelta, receivedAt: number): BoardStep {
  if (board.phase !== 'live') return { board, resubscribe: false };
  if (delta.seq !== board.seq + 1) return { board: { ...board, phase: 'pending' }, resubscribe: true };
  const entries = new Map(board.entries);
  if (delta.entry) entries.set(delta.entry.userId, delta.entry);
  if (delta.removedUserId !== undefined) entries.delete(delta.removedUserId);
  return {
    board: {
      ...board,
      seq: delta.seq,
      entries,
      takenOver: delta.takenOver ?? board.takenOver,
      clockOffset: delta.at - receivedAt,
    },
    resubscribe: false,
  };
}
