import type { TakenOverCallView } from '@earshot/shared';
import type { SupervisionRegistry } from '../domain/supervision.js';
import type { TakenOverCall } from '../domain/takeOver.js';

/**
 * The calls a supervisor took over: the agent has left them, so no phone holds them, and the board shows
 * them apart, with the sessions still on them.
 */
export class TakenOverCalls {
  private readonly calls = new Map<string, TakenOverCall>();

  constructor(
    /** Tells the boards (and the other nodes) that the calls taken over from `agentId` changed. */
    private readonly changed: (agentId: number) => void,
    private readonly registry: SupervisionRegistry,
  ) {}

  get(callId: string): TakenOverCall | undefined {
    return this.calls.get(callId);
  }

  has(callId: string): boolean {
    return this.calls.has(callId);
  }

  callIds(): string[] {
    return [...this.calls.keys()];
  }

  /** A call taken over, or its new state (its recording changed). The caller publishes once its other news is out. */
  put(call: TakenOverCall): void {
    this.calls.set(call.call.callId, call);
  }

  /** The call ended: false when it was not a taken-over call. */
  remove(callId: string): boolean {
    return this.calls.delete(callId);
  }

  views(): TakenOverCallView[] {
    return [...this.calls.values()].map((t) => ({
      call: { ...t.call, supervisions: this.registry.summaries(t.call.callId) },
      agentId: t.agentId,
      supervisorId: t.supervisorId,
      since: t.since,
    }));
  }

  /** To the boards that see `agentId`: the taken-over calls as they are now. */
  publish(agentId: number): void {
    this.changed(agentId);
  }
}
