import type { LiveConnection } from '../live/connection';
import { Store } from '../live/store';
import { applyDelta, applyPushedSnapshot, applySnapshot, EMPTY_BOARD, subscribing, type BoardState } from './boardSync';

export interface BoardFeedState {
  board: BoardState;
  /** Why the last subscribe was refused, if it was. */
  error: string | null;
}

/** The live board subscription: the pure protocol of boardSync, wired to the connection. */
export class BoardFeed extends Store<BoardFeedState> {
  /** Only the answer to the latest subscribe counts: each one replaces the subscription before it. */
  private generation = 0;

  constructor(
    private readonly connection: LiveConnection,
    private readonly clientNow: () => number = Date.now,
  ) {
    super({ board: EMPTY_BOARD, error: null });
    connection.on('board:delta', (delta) => {
      const step = applyDelta(this.get().board, delta, this.clientNow());
      this.set({ ...this.get(), board: step.board });
      if (step.resubscribe) void this.subscribeBoard();
    });
    connection.on('board:snapshot', (snapshot) => {
      this.set({ ...this.get(), board: applyPushedSnapshot(this.get().board, snapshot, this.clientNow()) });
    });
  }

  /** Asks for a fresh snapshot: at start, after a gap, after a reconnect or a change of rights. */
  async subscribeBoard(): Promise<void> {
    const generation = ++this.generation;
    this.set({ board: subscribing(this.get().board), error: null });
    const ack = await this.connection.request('board:subscribe', {});
    if (generation !== this.generation) return;
    if (ack.ok) this.set({ board: applySnapshot(ack.data, this.clientNow()), error: null });
    else this.set({ board: EMPTY_BOARD, error: ack.error.message });
  }

  /** The user lost the phone view: nothing of the floor stays on screen. */
  clear(): void {
    this.generation += 1;
    this.set({ board: EMPTY_BOARD, error: null });
  }
}
