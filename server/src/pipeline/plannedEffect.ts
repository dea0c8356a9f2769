import type { PlannedChange } from '../live/plannedChange.js';

/**
 * A request's change, carried out by the pipeline so that nothing takes effect without its audit record:
 * `decide` runs in one store transaction with the audit append (decide → audit); it checks the state again
 * and makes the store writes, synchronously, and those writes are undone when the record cannot be stored.
 * The live part (notices, board, audio) is the returned `apply`, run after the record is stored and in the
 * same turn of the event loop, so what `decide` checked still holds.
 */
export class ActionEffect<R> {
  constructor(
    readonly decide: () => PlannedChange<R>,
    /**
     * Undoes what the request did before its change was decided (a supervisor's leg the telephony platform
     * opened) when the change does not take effect: `decide` refused it, or its audit record could not be
     * stored. Awaited before the answer, so the caller is answered once nothing of it is left.
     */
    readonly abandon: (() => Promise<void>) | null = null,
  ) {}
}

export function effect<R>(decide: () => PlannedChange<R>, abandon?: () => Promise<void>): ActionEffect<R> {
  return new ActionEffect(decide, abandon ?? null);
}
