import type { AgentPhoneState, RecordingState, SessionEndReason, SupervisionMode, TakenOverCallView } from '@earshot/shared';
import type { SupervisionSession } from '../domain/supervision.js';
import type { PlatformQueueEvent } from '../telephony/platform.js';
import type { FloorLogger } from './floorPublisher.js';

/**
 * What the live floor tells the rest of the node (docs/architecture.md "Rules for the code": "The live floor
 * keeps state and publishes typed events; media plane, recorder, telephony platform subscribe"). The
 * floor raises each one after its own state changed and, for sessions, after the agent's notice went out:
 * a subscriber that routes audio on `sessionStarted` routes it to a supervisor the agent was told of.
 */
export interface FloorEventMap {
  /** An agent's phone as the floor now holds it (with the sessions on the call). */
  phoneChanged: { userId: number; phone: AgentPhoneState };
  sessionStarted: { session: SupervisionSession; at: number };
  sessionChanged: { session: SupervisionSession; previousMode: SupervisionMode; at: number };
  sessionEnded: { session: SupervisionSession; reason: SessionEndReason; at: number };
  /** Raised before the agent's phone shows them gone from the call: the call goes on with the customer. */
  callTakenOver: { callId: string; agentId: number; sessionId: string; at: number };
  /** The call is over for the floor: its agent hung up, or its customer left a taken-over call. */
  callEnded: { callId: string; agentId: number; at: number };
  /** A call's recording state, on the agent's phone or on a taken-over call. */
  recordingChanged: { callId: string; agentId: number; state: RecordingState; at: number };
  /** A queue event from the telephony platform, applied to the floor's queues (`LiveFloor.queues`). */
  queueChanged: { event: PlatformQueueEvent };
  /** The calls taken over on this node as they now are, after one taken over from `agentId` started, changed or ended. */
  takenOverChanged: { agentId: number; calls: TakenOverCallView[] };
}

export type FloorEventName = keyof FloorEventMap;
type Listener<E extends FloorEventName> = (payload: FloorEventMap[E]) => void;

/**
 * One typed publisher. Subscribers run in the order they subscribed, synchronously, inside the floor's
 * own change: a subscriber's failure is logged and never reaches the floor or the other subscribers.
 */
export class FloorEvents {
  private readonly listeners: { [E in FloorEventName]?: Listener<E>[] } = {};

  constructor(private readonly log: FloorLogger) {}

  /** Subscribes; answers the function that unsubscribes. */
  on<E extends FloorEventName>(event: E, listener: Listener<E>): () => void {
    const list = (this.listeners[event] ??= []) as Listener<E>[];
    list.push(listener);
    return () => {
      const i = list.indexOf(listener);
      if (i >= 0) list.splice(i, 1);
    };
  }

  emit<E extends FloorEventName>(event: E, payload: FloorEventMap[E]): void {
    const list = this.listeners[event] as Listener<E>[] | undefined;
    if (!list) return;
    for (const listener of list) {
      try {
        listener(payload);
      } catch (e) {
        this.log.error(e, `a subscriber to ${event} failed`);
      }
    }
  }
}
