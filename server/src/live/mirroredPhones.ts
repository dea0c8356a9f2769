import type { AgentPhoneState, TakenOverCallView } from '@earshot/shared';

/**
 * The phones and taken-over calls other nodes own, as their feeds last told this node
 * (docs/decisions/floor-feed.md). Only boards and queue figures read them: nothing here is ever acted on.
 * An agent being re-homed may for a moment be held by two owners; the board shows the one that spoke last.
 */
export class MirroredPhones {
  private readonly byOwner = new Map<string, Map<number, AgentPhoneState>>();
  private readonly takenOverByOwner = new Map<string, readonly TakenOverCallView[]>();
  /** agent → the owner whose phone the board shows */
  private readonly shownFrom = new Map<number, string>();

  phoneOf(userId: number): AgentPhoneState | undefined {
    const owner = this.shownFrom.get(userId);
    return owner === undefined ? undefined : this.byOwner.get(owner)?.get(userId);
  }

  ownerOf(userId: number): string | undefined {
    return this.shownFrom.get(userId);
  }

  put(owner: string, phone: AgentPhoneState): void {
    let phones = this.byOwner.get(owner);
    if (!phones) this.byOwner.set(owner, (phones = new Map()));
    phones.set(phone.userId, phone);
    this.shownFrom.set(phone.userId, owner);
  }

  /** The owner let the agent go (re-homed): another owner's phone of them is shown, if any. */
  remove(owner: string, userId: number): void {
    this.byOwner.get(owner)?.delete(userId);
    if (this.shownFrom.get(userId) !== owner) return;
    this.shownFrom.delete(userId);
    for (const [other, phones] of this.byOwner) if (phones.has(userId)) this.shownFrom.set(userId, other);
  }

  setTakenOver(owner: string, calls: readonly TakenOverCallView[]): void {
    if (calls.length === 0) this.takenOverByOwner.delete(owner);
    else this.takenOverByOwner.set(owner, calls);
  }

  takenOver(): TakenOverCallView[] {
    return [...this.takenOverByOwner.values()].flat();
  }

  /** Everything of one owner replaced by its snapshot; answers every agent whose row or taken-over call may have changed. */
  replace(owner: string, phones: readonly AgentPhoneState[], takenOver: readonly TakenOverCallView[]): Set<number> {
    const affected = this.drop(owner);
    for (const phone of phones) {
      this.put(owner, phone);
      affected.add(phone.userId);
    }
    this.setTakenOver(owner, takenOver);
    for (const t of takenOver) affected.add(t.agentId);
    return affected;
  }

  /** An owner is gone: everything it held is forgotten; answers the agents concerned. */
  drop(owner: string): Set<number> {
    const affected = new Set<number>();
    for (const userId of this.byOwner.get(owner)?.keys() ?? []) affected.add(userId);
    for (const t of this.takenOverByOwner.get(owner) ?? []) affected.add(t.agentId);
    for (const userId of [...affected]) this.remove(owner, userId);
    this.byOwner.delete(owner);
    this.takenOverByOwner.delete(owner);
    return affected;
  }
}
