import type { BoardDelta, BoardEntry, BoardSnapshot, TakenOverCallView } from '@earshot/shared';
import { decideAccess, isInScope } from '../domain/decideAccess.js';
import { agentReceivesNotice, ownPhoneAsSeen } from '../domain/noticePolicy.js';
import type { FloorPublisher } from './floorPublisher.js';
import type { UserDirectory } from './userDirectory.js';

/** The board of a set of agents, everything but its sequence number; `sees` tells whose taken-over calls belong on it. */
export type BoardContents = (agentIds: number[], sees: (agentId: number) => boolean) => Omit<BoardSnapshot, 'seq'>;

/**
 * One numbered stream of board deltas, shared by every subscription that sees exactly the same agents
 * (every supervisor with scope all, say, or the managers of the same teams): each delta is numbered and
 * encoded once for all of them, and the numbers are contiguous for each of them.
 */
interface BoardStream {
  key: string;
  room: string;
  visible: ReadonlySet<number>;
  /**
   * The viewer whose own row this stream shows as they may see it (their call without who supervises it,
   * no taken-over call of theirs): set when they are on their own board without Live Monitoring
   * Notifications. Their row differs from everyone else's, so such a stream is theirs alone.
   */
  self: number | null;
  seq: number;
  members: Set<string>;
}

/**
 * Live board subscriptions. Each socket's subscription reads one stream; a client that sees a gap in its
 * stream's numbers asks for a fresh snapshot.
 */
export class BoardSubscriptions {
  /** socket id → its user and the stream it reads */
  private readonly subs = new Map<string, { userId: number; stream: BoardStream }>();
  private readonly streams = new Map<string, BoardStream>();
  /** agent id → the streams that see them */
  private readonly watchers = new Map<number, Set<BoardStream>>();
  private streamCounter = 0;

  constructor(
    private readonly directory: UserDirectory,
    private readonly publisher: FloorPublisher,
    private readonly contents: BoardContents,
  ) {}

  /** The agents `userId` may see now: holders of Handle Calls inside their scope, while they hold the phone view. */
  visibleTo(userId: number): Set<number> {
    const actor = this.directory.actor(userId);
    if (!actor || !decideAccess(actor, 'phoneState.view', null).allowed) return new Set();
    return new Set(this.directory.agentIds().filter((id) => isInScope(actor, id)));
  }

  /** Subscribes the socket (again): its snapshot is numbered where its stream stands, the next delta is seq + 1. */
  subscribe(socketId: string, userId: number): BoardSnapshot {
    this.unsubscribe(socketId);
    const stream = this.join(socketId, userId);
    this.subs.set(socketId, { userId, stream });
    return this.snapshotOf(stream);
  }

  unsubscribe(socketId: string): void {
    const sub = this.subs.get(socketId);
    if (!sub) return;
    this.subs.delete(socketId);
    this.leave(socketId, sub.stream);
  }

  /**
   * One agent's entry changed: every stream that sees them carries the next numbered delta. The deltas leave
   * at once, before the rest of the change (the agent's own phone, the answer to the request) is worked out:
   * the board is what a change is published for, and the agent's own frames still leave together at the end
   * of the turn.
   */
  publishEntry(entry: BoardEntry, at: number): void {
    const streams = this.watchers.get(entry.userId);
    if (!streams) return;
    for (const stream of streams) this.send(stream, { entry: this.entryAsSeen(stream, entry), at });
    this.publisher.sendNow();
  }

  /** The taken-over calls changed: each stream that sees the agent gets the ones of agents it sees. */
  publishTakenOver(all: readonly TakenOverCallView[], agentId: number, at: number): void {
    const streams = this.watchers.get(agentId);
    if (streams) for (const stream of streams) this.send(stream, { takenOver: all.filter((t) => this.showsTakenOver(stream, t.agentId)), at });
  }

  /**
   * docs/permissions.md rule 7: after a change to profiles, users or teams, every subscription's scope is recomputed at once.
   * The streams are formed again from the new scopes and each is pushed its board as it now is
   * (`board:snapshot`): users who left a scope are gone from it, users who entered it are there, and names
   * and teams are current.
   */
  rescope(): void {
    const subs = [...this.subs];
    for (const [socketId, sub] of subs) this.leave(socketId, sub.stream);
    const formed = new Set<BoardStream>();
    for (const [socketId, sub] of subs) {
      sub.stream = this.join(socketId, sub.userId);
      formed.add(sub.stream);
    }
    for (const stream of formed) this.publisher.toLocalRoom(stream.room, 'board:snapshot', this.snapshotOf(stream));
  }

  /**
   * The rows of these agents were replaced without deltas (a mirrored owner's snapshot): every stream that
   * sees one of them is pushed its board as it now is, numbered where it stands, so no client keeps a gap.
   */
  pushSnapshots(agentIds: Iterable<number>): void {
    const streams = new Set<BoardStream>();
    for (const id of agentIds) for (const stream of this.watchers.get(id) ?? []) streams.add(stream);
    for (const stream of streams) this.publisher.toLocalRoom(stream.room, 'board:snapshot', this.snapshotOf(stream));
  }

  isSubscribed(socketId: string): boolean {
    return this.subs.has(socketId);
  }

  /** How many streams serve how many subscriptions (for the log and the tests). */
  stats(): { streams: number; subscriptions: number } {
    return { streams: this.streams.size, subscriptions: this.subs.size };
  }

  private snapshotOf(stream: BoardStream): BoardSnapshot {
    const board = this.contents(
      [...stream.visible].sort((a, b) => a - b),
      (agentId) => this.showsTakenOver(stream, agentId),
    );
    if (stream.self !== null) board.entries = board.entries.map((e) => this.entryAsSeen(stream, e));
    return { seq: stream.seq, ...board };
  }

  private entryAsSeen(stream: BoardStream, entry: BoardEntry): BoardEntry {
    if (entry.userId !== stream.self) return entry;
    return { ...entry, phone: ownPhoneAsSeen(entry.phone, this.directory.rights(entry.userId)) };
  }

  /** A taken-over call names who took it: not on the board of its own agent unless they are told. */
  private showsTakenOver(stream: BoardStream, agentId: number): boolean {
    return stream.visible.has(agentId) && agentId !== stream.self;
  }

  private join(socketId: string, userId: number): BoardStream {
    const visible = this.visibleTo(userId);
    const self = visible.has(userId) && !agentReceivesNotice('supervision', this.directory.rights(userId)) ? userId : null;
    const key = `${[...visible].sort((a, b) => a - b).join(',')}${self === null ? '' : `|self:${self}`}`;
    let stream = this.streams.get(key);
    if (!stream) {
      stream = { key, room: `board:${++this.streamCounter}`, visible, self, seq: 0, members: new Set() };
      this.streams.set(key, stream);
      for (const id of visible) {
        let set = this.watchers.get(id);
        if (!set) this.watchers.set(id, (set = new Set()));
        set.add(stream);
      }
    }
    stream.members.add(socketId);
    this.publisher.join(socketId, stream.room);
    return stream;
  }

  private leave(socketId: string, stream: BoardStream): void {
    stream.members.delete(socketId);
    this.publisher.leave(socketId, stream.room);
    if (stream.members.size > 0) return;
    this.streams.delete(stream.key);
    for (const id of stream.visible) this.watchers.get(id)?.delete(stream);
  }

  private send(stream: BoardStream, delta: Omit<BoardDelta, 'seq'>): void {
    stream.seq += 1;
    this.publisher.toLocalRoom(stream.room, 'board:delta', { seq: stream.seq, ...delta });
  }
}
