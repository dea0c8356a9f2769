import type { AlertKind, AlertThresholds } from '../messages/alerts.js';
import type { AgentPhoneState } from '../messages/floor.js';
import type { QueueFigures } from '../messages/queues.js';

/** An agent past one of their thresholds: which, since when the time is counted, and by how much. */
export interface AgentAlert {
  kind: Exclude<AlertKind, 'queueWait'>;
  userId: number;
  /** When the counted time began: the call's start for a long call, the state's start otherwise. */
  since: number;
  elapsedMs: number;
  thresholdMs: number;
}

/** A queue whose caller waiting longest has waited past the threshold. */
export interface QueueAlert {
  kind: 'queueWait';
  queue: string;
  since: number;
  elapsedMs: number;
  thresholdMs: number;
}

export type FloorAlert = AgentAlert | QueueAlert;

export type AlertedPhone = Pick<AgentPhoneState, 'userId' | 'state' | 'since' | 'call'>;
export type AlertedQueue = Pick<QueueFigures, 'queue' | 'oldestWaitingSince'>;

/** Past the threshold means strictly more than it: at exactly 120 s a 120 s threshold is reached, not passed. */
function past(kind: AlertKind, since: number, thresholds: AlertThresholds, now: number) {
  const elapsedMs = now - since;
  const thresholdMs = thresholds[kind] * 1000;
  return elapsedMs > thresholdMs ? { elapsedMs, thresholdMs } : null;
}

/**
 * The thresholds an agent is past at `now`, from the board's timestamps: the call's start (a long call,
 * talking or on hold), and the current state's start (a long hold, Not ready or Wrap-up).
 */
export function agentAlerts(phone: AlertedPhone, thresholds: AlertThresholds, now: number): AgentAlert[] {
  const alerts: AgentAlert[] = [];
  const add = (kind: AgentAlert['kind'], since: number) => {
    const over = past(kind, since, thresholds, now);
    if (over) alerts.push({ kind, userId: phone.userId, since, ...over });
  };
  if (phone.call && (phone.state === 'talking' || phone.state === 'held')) add('longCall', phone.call.startedAt);
  if (phone.state === 'held') add('longHold', phone.since);
  if (phone.state === 'notReady') add('longNotReady', phone.since);
  if (phone.state === 'wrapUp') add('longWrapUp', phone.since);
  return alerts;
}

/** The queue's alert at `now`, or null: nobody waits, or the longest wait is within the threshold. */
export function queueAlert(queue: AlertedQueue, thresholds: AlertThresholds, now: number): QueueAlert | null {
  if (queue.oldestWaitingSince === null) return null;
  const over = past('queueWait', queue.oldestWaitingSince, thresholds, now);
  return over ? { kind: 'queueWait', queue: queue.queue, since: queue.oldestWaitingSince, ...over } : null;
}

/** Every alert on the floor at `now`: the agents' in the order given, then the queues'. */
export function floorAlerts(phones: Iterable<AlertedPhone>, queues: Iterable<AlertedQueue>, thresholds: AlertThresholds, now: number): FloorAlert[] {
  const alerts: FloorAlert[] = [];
  for (const phone of phones) alerts.push(...agentAlerts(phone, thresholds, now));
  for (const queue of queues) {
    const alert = queueAlert(queue, thresholds, now);
    if (alert) alerts.push(alert);
  }
  return alerts;
}

/**
 * One crossing's identity: the same call, hold, state or wait keeps its key while it lasts, and a new
 * one gets a new key, so a crossing is signalled once however often the floor is looked at.
 */
export function alertKey(alert: FloorAlert): string {
  return alert.kind === 'queueWait' ? `queueWait:${alert.queue}:${alert.since}` : `${alert.kind}:${alert.userId}:${alert.since}`;
}
