import type { ClientEventName, ParsedRequestOf, ResponseOf, RightId } from '@earshot/shared';
import type { Actor } from '../domain/actor.js';
import type { AuditLog } from '../audit/auditLog.js';
import type { ServerConfig } from '../config.js';
import type { LoginSession, Store } from '../store/repositories.js';
import type { LiveFloor } from '../live/liveFloor.js';
import type { TelephonyPlatform } from '../telephony/platform.js';
import type { LiveEffects } from './liveEffects.js';
import type { ActionEffect } from '../pipeline/plannedEffect.js';
import type { AuditTarget } from '../pipeline/requestPipeline.js';

export { ActionEffect, effect } from '../pipeline/plannedEffect.js';
export type { AuditTarget };

/**
 * Where agents' telephony lives. With several nodes an agent's plugin attaches only at the agent's home node
 * (docs/scale-out.md); one node alone is every agent's home.
 */
export interface AgentHomes {
  /** Makes this node the agent's home when it is the one to be; otherwise names the home, its node and URL. */
  takeHome(agentId: number): Promise<{ here: true } | { here: false; nodeId: string; url: string }>;
}

export const ONE_NODE_HOMES: AgentHomes = { takeHome: async () => ({ here: true }) };

/** What an action's code may use; nothing of the socket reaches it. */
export interface ActionContext {
  actor: Actor;
  /** The login the request came with. */
  login: LoginSession;
  now: number;
  store: Store;
  audit: AuditLog;
  config: ServerConfig;
  live: LiveEffects;
  floor: LiveFloor;
  /** The telephony platform's commands: supervisor legs, take over, the desktop agent's controls. */
  telephony: TelephonyPlatform;
  homes: AgentHomes;
  /** The socket the action came on (board subscriptions and agent attachment are per socket). */
  socketId: string;
  /** Authorizes a further (right, target) inside `run`; a refusal is audited and acked like any other. */
  require(right: RightId, targetUserId: number | null): void;
  /** Runs after the ack: pushes to other clients. */
  after(effect: () => void | Promise<void>): void;
  /** Extra fields for this action's audit record. */
  note(detail: Record<string, unknown>): void;
}

export interface ActionDefinition<E extends ClientEventName> {
  event: E;
  /** The right the actor must hold; with a list, any one of them. An empty list: any signed-in user. */
  right: RightId | readonly RightId[];
  /** Further rights the input calls for, each required (e.g. the supervision mode's right); checked with `right`, before scope. */
  alsoRequires?: (input: ParsedRequestOf<E>) => readonly RightId[];
  /** The users the action reaches: each must be inside the actor's scope (checked before `run`). */
  targetUsers?: (input: ParsedRequestOf<E>, ctx: ActionContext) => Promise<number[]> | number[];
  /** What the audit record names as the action's target (default: the first of `targetUsers`). */
  auditTarget?: (input: ParsedRequestOf<E> | undefined, result?: ResponseOf<E>) => AuditTarget | null;
  /** Reads are audited only when refused. */
  auditSuccess?: boolean;
  /**
   * Checks and answers. An action that changes the floor, the media plane or the store returns its change
   * as an `ActionEffect` (`effect(...)`) instead of making it: the wrapper carries it out together with
   * the audit record.
   */
  run: (input: ParsedRequestOf<E>, ctx: ActionContext) => Promise<ResponseOf<E> | ActionEffect<ResponseOf<E>>>;
}

/** Keeps each definition's types tied to its event. */
export function defineAction<E extends ClientEventName>(def: ActionDefinition<E>): ActionDefinition<E> {
  return def;
}

// biome-ignore lint/suspicious/noExplicitAny: a list holds actions of every event; defineAction ties each to its own
export type AnyActionDefinition = ActionDefinition<any>;

/** The audit target of an action on one entity: its id from the result (created) or from the input. */
/** The audit target named by a string id in the input (a call, a session, a help request). */
export function inputTarget(type: string, inputKey: string) {
  return (input: unknown): AuditTarget | null => {
    const id = (input as Record<string, unknown> | undefined)?.[inputKey];
    return typeof id === 'string' && id !== '' ? { type, id } : null;
  };
}

export function entityTarget(type: string, inputKey: string, resultKey: string) {
  return (input: unknown, result?: unknown): AuditTarget | null => {
    const fromResult = (result as Record<string, { id?: unknown } | undefined> | undefined)?.[resultKey]?.id;
    const id = fromResult ?? (input as Record<string, unknown> | undefined)?.[inputKey];
    return typeof id === 'number' ? { type, id: String(id) } : null;
  };
}
