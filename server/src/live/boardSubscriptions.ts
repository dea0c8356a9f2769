import type { BoardDelta, BoardEntry, BoardSnapshot, TakenOverCallView } from '@earshot/shared';
import { decideAccess, isInScope } from '../domain/decideAccess.js';
import type { FloorPublisher } from './floorPublisher.js';
import type { UserDirectory } from './userDirectory.js';

interface Subscription {
  userId: number;
  visible: Set<number>;
  seq: number;
}

/**
 * Live board subscriptions: each holds the agents inside its user's scope and numbers its own deltas
 * contiguously, so a client that sees a gap knows to ask for a fresh snapshot.
 */
export class BoardSubscriptions {
  private readonly subs = new Map<string, Subscription>();
  /** agent id → the subscriptions that see them */
  private readonly watchers = new Map<number, Set<string>>();

  constructor(
    private readonly directory: UserDirectory,
    private readonly publisher: FloorPublisher,
  ) {}

  /** The agents `userId` may see now: holders of Handle Calls inside their scope, while they hold the phone view. */
  visibleTo(userId: number): Set<number> {
    const actor = this.directory.actor(userId);
    if (!actor || !decideAccess(actor, 'phoneState.view', null).allowed) return new Set();
    return new Set(this.directory.agentIds().filter((id) => isInScope(actor, id)));
  }

  subscribe(socketId: string, userId: number, snapshotOf: (ids: number[], takenOverFilter: (agentId: number) => boolean) => Omit<BoardSnapshot, 'seq'>): BoardSnapshot {
    this.unsubscribe(socketId);
    const visible = this.visibleTo(userId);
    const sub: Subscription = { userId, visible, seq: 0 };
    this.subs.set(socketId, sub);
    for (const id of visible) this.watch(id, socketId);
    return { seq: 0, ...snapshotOf([...visible].sort((a, b) => a - b), (agentId) => visible.has(agentId)) };
  }

  unsubscribe(socketId: string): void {
    const sub = this.subs.get(socketId);
    if (!sub) return;
    for (const id of sub.visible) this.watchers.get(id)?.delete(socketId);
    this.subs.delete(socketId);
  }

  /** One agent's entry changed: every subscription that sees them gets the next numbered delta. */
  publishEntry(entry: BoardEntry, at: number): void {
    for (const socketId of this.watchers.get(entry.userId) ?? []) this.send(socketId, { entry, at });
  }

  /** The taken-over calls changed: each subscription gets the ones of agents it sees. */
  publishTakenOver(all: readonly TakenOverCallView[], agentId: number, at: number): void {
    for (const socketId of this.watchers.get(agentId) ?? []) {
      const sub = this.subs.get(socketId)!;
      this.send(socketId, { takenOver: all.filter((t) => sub.visible.has(t.agentId)), at });
    }
  }

  /**
   * Rule 7: after a change to profiles, users or teams, every subscription's scope is recomputed at once:
   * users who left it are removed, users who entered it are added, each as a numbered delta.
   */
  rescope(entryOf: (userId: number) => BoardEntry, at: number): void {
    for (const [socketId, sub] of this.subs) {
      const now = this.visibleTo(sub.userId);
      for (const id of sub.visible) {
        if (!now.has(id)) {
          this.watchers.get(id)?.delete(socketId);
          this.send(socketId, { removedUserId: id, at });
        }
      }
      sub.visible = now;
      for (const id of now) {
        this.watch(id, socketId);
        // Entries are re-sent whole for the ones already seen too: names and teams may have changed.
        this.send(socketId, { entry: entryOf(id), at });
      }
    }
  }

  isSubscribed(socketId: string): boolean {
    return this.subs.has(socketId);
  }

  private watch(agentId: number, socketId: string): void {
    let set = this.watchers.get(agentId);
    if (!set) this.watchers.set(agentId, (set = new Set()));
    set.add(socketId);
  }

  private send(socketId: string, delta: Omit<BoardDelta, 'seq'>): void {
    const sub = this.subs.get(socketId);
    if (!sub) return;
    sub.seq += 1;
    this.publisher.toSocket(socketId, 'board:delta', { seq: sub.seq, ...delta });
  }
}
