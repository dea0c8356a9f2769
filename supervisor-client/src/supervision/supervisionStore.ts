import type { Ack, SupervisionEnded, SupervisionMode, SupervisionSessionView } from '@earshot/shared';
import type { LiveConnection } from '../live/connection';
import { Store } from '../live/store';

/** A session the server ended, kept on screen with its reason until the supervisor dismisses it. */
export interface EndedSession extends SupervisionEnded {
  agentName: string;
}

export interface SupervisionState {
  active: readonly SupervisionSessionView[];
  ended: readonly EndedSession[];
}

/**
 * The supervisor's own sessions: started, switched and stopped here; ended by the server for any reason
 * (`supervise:ended`, docs/architecture.md: "every end reaches the supervisor with its reason").
 */
export class SupervisionStore extends Store<SupervisionState> {
  constructor(
    private readonly connection: LiveConnection,
    private readonly agentName: (agentId: number) => string | null,
  ) {
    super({ active: [], ended: [] });
    connection.on('supervise:ended', (ended) => this.ended(ended));
  }

  /** After a (re)connect: the sessions the server still holds for this user. */
  async refresh(): Promise<void> {
    const ack = await this.connection.request('supervise:mine', {});
    if (ack.ok) this.set({ ...this.get(), active: ack.data.sessions });
  }

  start(agentId: number, mode: SupervisionMode): Promise<Ack<unknown>> {
    return this.keep(this.connection.request('supervise:start', { agentId, mode }));
  }

  switchMode(sessionId: string, mode: SupervisionMode): Promise<Ack<unknown>> {
    return this.keep(this.connection.request('supervise:mode', { sessionId, mode }));
  }

  async stop(sessionId: string): Promise<Ack<unknown>> {
    const ack = await this.connection.request('supervise:stop', { sessionId });
    // The `supervise:ended` push normally comes first; this covers a stop whose push was missed.
    if (ack.ok) this.drop(sessionId);
    return ack;
  }

  dismiss(sessionId: string): void {
    this.set({ ...this.get(), ended: this.get().ended.filter((e) => e.sessionId !== sessionId) });
  }

  private async keep(request: Promise<Ack<{ session: SupervisionSessionView }>>): Promise<Ack<unknown>> {
    const ack = await request;
    if (ack.ok) {
      const { session } = ack.data;
      const others = this.get().active.filter((s) => s.sessionId !== session.sessionId);
      this.set({ ...this.get(), active: [...others, session] });
    }
    return ack;
  }

  private drop(sessionId: string): void {
    if (!this.get().active.some((s) => s.sessionId === sessionId)) return;
    this.set({ ...this.get(), active: this.get().active.filter((s) => s.sessionId !== sessionId) });
  }

  private ended(ended: SupervisionEnded): void {
    const session = this.get().active.find((s) => s.sessionId === ended.sessionId);
    const agentName = session?.agentName ?? this.agentName(ended.agentId) ?? `Agent ${ended.agentId}`;
    this.set({
      active: this.get().active.filter((s) => s.sessionId !== ended.sessionId),
      ended: [...this.get().ended.filter((e) => e.sessionId !== ended.sessionId), { ...ended, agentName }],
    });
  }
}
