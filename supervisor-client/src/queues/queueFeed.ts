import type { QueueFigures, QueuesSnapshot } from '@earshot/shared';
import type { LiveConnection } from '../live/connection';
import { Store } from '../live/store';

export interface QueuesState {
  /** `idle`: not subscribed (no phone view); `live`: figures as the server last pushed them. */
  phase: 'idle' | 'pending' | 'live';
  /** The queues in the order the server lists them (by name). */
  queues: readonly QueueFigures[];
  /** Server time minus client time at the last message: the longest wait ticks in server time. */
  clockOffset: number;
  error: string | null;
}

export const NO_QUEUES: QueuesState = { phase: 'idle', queues: [], clockOffset: 0, error: null };

/** The queue panel's subscription: a snapshot, then each queue replaced whole by its `queues:update`. */
export class QueueFeed extends Store<QueuesState> {
  private generation = 0;

  constructor(
    private readonly connection: LiveConnection,
    private readonly clientNow: () => number = Date.now,
  ) {
    super(NO_QUEUES);
    connection.on('queues:update', ({ figures }) => {
      const state = this.get();
      if (state.phase !== 'live') return;
      const known = state.queues.some((q) => q.queue === figures.queue);
      if (!known) return;
      this.set({
        ...state,
        queues: state.queues.map((q) => (q.queue === figures.queue ? figures : q)),
        clockOffset: figures.at - this.clientNow(),
      });
    });
    connection.on('queues:snapshot', (snapshot) => {
      if (this.get().phase !== 'idle') this.take(snapshot);
    });
  }

  async subscribeQueues(): Promise<void> {
    const generation = ++this.generation;
    this.set({ ...this.get(), phase: 'pending', error: null });
    const ack = await this.connection.request('queues:subscribe', {});
    if (generation !== this.generation) return;
    if (ack.ok) this.take(ack.data);
    else this.set({ ...NO_QUEUES, error: ack.error.message });
  }

  clear(): void {
    this.generation += 1;
    this.set(NO_QUEUES);
  }

  private take(snapshot: QueuesSnapshot): void {
    this.set({ phase: 'live', queues: snapshot.queues, clockOffset: snapshot.at - this.clientNow(), error: null });
  }
}
