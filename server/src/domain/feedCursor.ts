/**
 * Where a node stands in another node's floor feed (docs/decisions/floor-feed.md): the owner numbers what
 * it publishes 1, 2, 3 ... within an epoch, and starts a new epoch whenever it starts. A reader applies the
 * next number only; anything else it cannot account for costs a fresh snapshot of the owner, never a gap.
 */
export interface FeedCursor {
  epoch: string;
  /** The last offset applied (a snapshot's offset once rebuilt from it). */
  offset: number;
}

/** What the reader does with what it read of an owner's feed. */
export type FeedStep = 'apply' | 'skip' | 'resnapshot';

/** One numbered entry of the feed: the next one is applied, one already applied is skipped, one past a gap or of another epoch rebuilds. */
export function stepForEntry(cursor: FeedCursor | null, entry: FeedCursor): FeedStep {
  if (cursor === null || entry.epoch !== cursor.epoch) return 'resnapshot';
  if (entry.offset <= cursor.offset) return 'skip';
  return entry.offset === cursor.offset + 1 ? 'apply' : 'resnapshot';
}

/**
 * The owner's word on where it stands (a heartbeat in its feed, or its state read when the feed went quiet):
 * past the cursor, or of another epoch, means entries were lost (a lost tail has nothing after it to show a gap).
 */
export function stepForHeartbeat(cursor: FeedCursor | null, owner: FeedCursor): Exclude<FeedStep, 'apply'> {
  if (cursor === null || owner.epoch !== cursor.epoch || owner.offset > cursor.offset) return 'resnapshot';
  return 'skip';
}

/** An owner not heard from (not even its heartbeat) for longer than this many heartbeats is looked up directly. */
export const QUIET_HEARTBEATS = 3;

export function isQuiet(lastHeardAt: number, now: number, heartbeatMs: number): boolean {
  return now - lastHeardAt > QUIET_HEARTBEATS * heartbeatMs;
}
