/**
 * A change decided now and carried out by `apply`. The action wrapper stores the audit record between the
 * two, in the same turn of the event loop: what was checked to decide still holds when `apply` runs, and
 * `apply` runs only once the record is stored (nothing takes effect that is not audited).
 */
export interface PlannedChange<R> {
  result: R;
  /** Absent: nothing to change (e.g. the mode asked for is already the session's). */
  apply?: () => void;
  /**
   * The records of what `apply` will end, written in the action's transaction right after its own record
   * (a stopped session's end): one commit, one fsync, for the action and its consequence. Never throws: a
   * record it could not store is left for `apply` to write as it would have without it.
   */
  alsoRecord?: () => void;
  /**
   * What follows `apply` once its notices are out and may wait (the telephony platform told of an upgrade:
   * the agent hears of a new listener before the platform routes a word to them). On failure it undoes
   * `apply` itself and throws the request's answer; the failure is recorded after the change's own record.
   */
  afterApply?: () => Promise<void>;
}
