import { clientEvents, type Ack, type RightId, type WireError } from '@earshot/shared';
import type { Actor } from '../domain/actor.js';
import { TokenBucket } from '../domain/tokenBucket.js';
import type { AuditLog } from '../audit/auditLog.js';
import { authorize, Replay, RequestTrail, runPipeline } from '../pipeline/requestPipeline.js';
import type { ServerConfig } from '../config.js';
import type { LoginSession, Store } from '../store/repositories.js';
import { invalidFromZod } from '../wireError.js';
import { ONE_NODE_HOMES, type ActionContext, type AgentHomes, type AnyActionDefinition } from './actionTypes.js';
import type { LiveFloor } from '../live/liveFloor.js';
import type { TelephonyPlatform } from '../telephony/platform.js';
import type { LiveEffects } from './liveEffects.js';
import { requestDigest, type IdempotencyCache } from './idempotencyCache.js';

export interface WrapperDeps {
  store: Store;
  audit: AuditLog;
  config: ServerConfig;
  live: LiveEffects;
  floor: LiveFloor;
  telephony: TelephonyPlatform;
  idempotency: IdempotencyCache;
  /** Several nodes: where agents' plugins attach. Absent: this node is every agent's home. */
  homes?: AgentHomes;
  now: () => number;
  /** Re-authenticates the socket's login for this message (revoked, expired or deleted → UNAUTHENTICATED). */
  authenticate: (loginId: number, userId: number) => Promise<{ session: LoginSession; actor: Actor }>;
  logError: (err: unknown, event: string) => void;
}

export interface Caller {
  socketId: string;
  /** The login the socket authenticated with, checked again for every message. */
  loginId: number;
  userId: number;
  displayName: string;
}

export type Respond = (response: Ack<unknown>) => void;

const asList = (r: RightId | readonly RightId[]): readonly RightId[] => (typeof r === 'string' ? [r] : r);

/**
 * The socket.io adapter of the request pipeline (`pipeline/requestPipeline.ts`): a client event becomes a
 * request whose steps are the action's definition (its schema, its rights and targets, its `run`), and its
 * outcome the ack. An action's change (`ActionEffect`) is carried out only once its audit record is stored.
 */
export async function runAction(deps: WrapperDeps, def: AnyActionDefinition, caller: Caller, payload: unknown, send: Respond): Promise<void> {
  let respond = send;
  const effects: (() => void | Promise<void>)[] = [];
  const trail = new RequestTrail({ id: caller.userId, displayName: caller.displayName });
  let firstTarget: number | undefined;
  let ctx: ActionContext | undefined;
  // A call is kept in the record as people know it (queue, masked number, start): its id means nothing once it has ended.
  const keepCall = (callId: unknown) => {
    const call = typeof callId === 'string' ? deps.floor.callDescription(callId) : null;
    if (call) trail.note({ call });
  };

  const outcome = await runPipeline<unknown, { actor: Actor; session: LoginSession }, unknown>(
    { audit: deps.audit, store: deps.store, logError: deps.logError },
    {
      action: def.event,
      trail,
      audit: def.auditSuccess === false ? 'refusals' : 'all',
      recordInput: true,
      parse: () => {
        const parsed = clientEvents[def.event as keyof typeof clientEvents].request.safeParse(payload);
        if (!parsed.success) throw invalidFromZod(parsed.error);
        keepCall((parsed.data as { callId?: unknown }).callId);
        return parsed.data;
      },
      authenticate: () => deps.authenticate(caller.loginId, caller.userId),
      authorize: async (input, auth) => {
        const actor = auth!.actor;
        const context: ActionContext = {
          actor,
          login: auth!.session,
          now: deps.now(),
          store: deps.store,
          audit: deps.audit,
          config: deps.config,
          live: deps.live,
          floor: deps.floor,
          telephony: deps.telephony,
          homes: deps.homes ?? ONE_NODE_HOMES,
          socketId: caller.socketId,
          require: (right, target) => authorize(actor, [right], target),
          after: (fn) => void effects.push(fn),
          note: (d) => {
            trail.note(d);
            if ('callId' in d) keepCall(d.callId);
          },
        };
        ctx = context;
        // Targets are resolved first so that a refusal names them in the audit log; but the rights are
        // checked before a target's absence or scope: a missing right is FORBIDDEN whoever the target is.
        let targets: number[] = [];
        let targetError: unknown;
        try {
          targets = (await def.targetUsers?.(input, context)) ?? [];
        } catch (e) {
          targetError = e;
        }
        firstTarget = targets[0];
        const rights = asList(def.right);
        const required = def.alsoRequires?.(input) ?? [];
        authorize(actor, rights, null);
        for (const r of required) authorize(actor, [r], null);
        if (targetError !== undefined) throw targetError;
        for (const target of targets) {
          authorize(actor, rights, target);
          for (const r of required) authorize(actor, [r], target);
        }
      },
      handle: async (input) => {
        // A repeated requestId returns the first answer without acting or auditing again, but only once the
        // repeat has passed the same checks as the first (a right removed since, a login ended since, refuse
        // it) and only for the same request (another request under a used requestId is a CONFLICT).
        const requestId = (input as { requestId?: unknown }).requestId;
        if (typeof requestId === 'string') {
          const claim = deps.idempotency.claim(caller.userId, def.event, requestId, requestDigest(input), deps.now());
          if ('first' in claim) return new Replay(await claim.first);
          respond = (r) => {
            claim.settle(r);
            send(r);
          };
        }
        return def.run(input, ctx!);
      },
    },
    (result) => safeTarget(def, trail.input, result) ?? (firstTarget === undefined ? null : { type: 'user', id: String(firstTarget) }),
  );

  if (outcome.ok === 'replayed') return respond(outcome.answer);
  respond(outcome.ok ? { ok: true, data: outcome.result } : { ok: false, error: outcome.error });
  if (outcome.ok) {
    for (const effect of effects) {
      try {
        await effect();
      } catch (e) {
        deps.logError(e, `${def.event} (after)`);
      }
    }
  }
}

function safeTarget(def: AnyActionDefinition, input: unknown, result: unknown) {
  try {
    return def.auditTarget?.(input, result) ?? null;
  } catch {
    return null;
  }
}

/** Per-socket token bucket: a flood is answered RATE_LIMITED instead of starving the other clients. */
export class MessageRateLimiter {
  private readonly bucket: TokenBucket;

  constructor(
    private readonly perSecond: number,
    now: number,
  ) {
    this.bucket = new TokenBucket(perSecond * 2, perSecond / 1000, now);
  }

  take(now: number): WireError | null {
    if (this.bucket.take(now)) return null;
    return { code: 'RATE_LIMITED', message: `Too many messages: at most ${this.perSecond} a second`, retryAfter: 1 };
  }
}
