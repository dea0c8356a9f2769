import { clientEvents, type Ack, type RightId, type WireError } from '@earshot/shared';
import { ActionError } from '../domain/actionError.js';
import type { Actor } from '../domain/actor.js';
import { decideAccessAny } from '../domain/decideAccess.js';
import { TokenBucket } from '../domain/tokenBucket.js';
import { redact, type AuditEvent, type AuditLog } from '../audit/auditLog.js';
import type { ServerConfig } from '../config.js';
import type { LoginSession, Store } from '../store/repositories.js';
import { invalidFromZod, toWireError } from '../wireError.js';
import { ActionEffect, type ActionContext, type AnyActionDefinition } from './actionTypes.js';
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
  now: () => number;
  /** Re-authenticates the socket's login for this message (revoked, expired or deleted → UNAUTHENTICATED). */
  authenticate: (sessionId: number, userId: number) => Promise<{ session: LoginSession; actor: Actor }>;
  logError: (err: unknown, event: string) => void;
}

export interface Caller {
  socketId: string;
  sessionId: number;
  userId: number;
  displayName: string;
}

export type Respond = (response: Ack<unknown>) => void;

const asList = (r: RightId | readonly RightId[]): readonly RightId[] => (typeof r === 'string' ? [r] : r);

/**
 * The one path of every client action: parse → authenticate → authorize (right + scope) → decide → audit
 * → apply → ack. An action's change (`ActionEffect`) is carried out only once its audit record is stored:
 * its store writes share the record's transaction, its floor changes follow the record in the same turn.
 * The audit record is written before the ack, for successes and refusals alike.
 */
export async function runAction(deps: WrapperDeps, def: AnyActionDefinition, caller: Caller, payload: unknown, send: Respond): Promise<void> {
  let respond = send;
  const effects: (() => void | Promise<void>)[] = [];
  let actor: Pick<Actor, 'id' | 'displayName'> = { id: caller.userId, displayName: caller.displayName };
  let input: unknown;
  let result: unknown;
  let failure: unknown;
  /** The outcome's record is stored (a change's success is recorded with the change). */
  let audited = false;
  const extra: Record<string, unknown> = {};
  let firstTarget: number | undefined;
  const auditEvent = (error: unknown, outcome: unknown): AuditEvent => {
    const detail: Record<string, unknown> = { ...extra };
    if (input !== undefined) detail.input = redact(input);
    const target = safeTarget(def, input, outcome) ?? (firstTarget === undefined ? null : { type: 'user', id: String(firstTarget) });
    return { actor, action: def.event, target, error, detail };
  };
  try {
    const parsed = clientEvents[def.event as keyof typeof clientEvents].request.safeParse(payload);
    if (!parsed.success) throw invalidFromZod(parsed.error);
    input = parsed.data;

    const auth = await deps.authenticate(caller.sessionId, caller.userId);
    actor = auth.actor;

    const rights = asList(def.right);
    const check = (r: readonly RightId[], target: number | null) => {
      if (r.length === 0) return;
      const d = decideAccessAny(auth.actor, r, target);
      if (!d.allowed) throw new ActionError(d.code, d.message);
    };
    const ctx: ActionContext = {
      actor: auth.actor,
      session: auth.session,
      now: deps.now(),
      store: deps.store,
      audit: deps.audit,
      config: deps.config,
      live: deps.live,
      floor: deps.floor,
      telephony: deps.telephony,
      socketId: caller.socketId,
      require: (right, target) => check([right], target),
      after: (fn) => void effects.push(fn),
      note: (d) => void Object.assign(extra, d),
    };
    // Targets are resolved first so that a refusal names them in the audit log; but the rights are
    // checked before a target's absence or scope: a missing right is FORBIDDEN whoever the target is.
    let targets: number[] = [];
    let targetError: unknown;
    try {
      targets = (await def.targetUsers?.(input, ctx)) ?? [];
    } catch (e) {
      targetError = e;
    }
    firstTarget = targets[0];
    const required = def.alsoRequires?.(input) ?? [];
    check(rights, null);
    for (const r of required) check([r], null);
    if (targetError !== undefined) throw targetError;
    for (const target of targets) {
      check(rights, target);
      for (const r of required) check([r], target);
    }

    // A repeated requestId returns the first answer without acting or auditing again, but only once the
    // repeat has passed the same checks as the first (a right removed since, a login ended since, refuse
    // it) and only for the same request (another request under a used requestId is a CONFLICT).
    const requestId = (input as { requestId?: unknown }).requestId;
    if (typeof requestId === 'string') {
      const claim = deps.idempotency.claim(caller.userId, def.event, requestId, requestDigest(input), deps.now());
      if ('first' in claim) return respond(await claim.first);
      respond = (r) => {
        claim.settle(r);
        send(r);
      };
    }

    const outcome = await def.run(input, ctx);
    if (outcome instanceof ActionEffect) {
      // decide → audit in one transaction: a refusal from `decide` or a failed record leaves no write behind.
      const planned = deps.store.transaction(() => {
        const p = outcome.decide();
        if (def.auditSuccess !== false) {
          try {
            deps.audit.recordNow(auditEvent(undefined, p.result));
          } catch (e) {
            throw new AuditWriteFailure(e);
          }
        }
        return p;
      });
      audited = def.auditSuccess !== false;
      result = planned.result;
      try {
        planned.apply?.();
      } catch (e) {
        // Checked in `decide` this same turn, so a bug: recorded as the action's error after its success.
        audited = false;
        throw e;
      }
    } else {
      result = outcome;
    }
  } catch (e) {
    failure = e;
    if (e instanceof AuditWriteFailure) deps.logError(e.reason, `${def.event} (audit)`);
    else if (!(e instanceof ActionError)) deps.logError(e, def.event);
  }

  let response: Ack<unknown> = failure === undefined ? { ok: true, data: result } : { ok: false, error: toWireError(failure) };
  if (!audited && (failure !== undefined || def.auditSuccess !== false)) {
    try {
      deps.audit.recordNow(auditEvent(failure, result));
    } catch (e) {
      // Not acknowledged as done when its audit record could not be written.
      if (!(failure instanceof AuditWriteFailure)) deps.logError(e, `${def.event} (audit)`);
      response = { ok: false, error: toWireError(new AuditWriteFailure(e)) };
    }
  }
  respond(response);
  if (failure === undefined) {
    for (const effect of effects) {
      try {
        await effect();
      } catch (e) {
        deps.logError(e, `${def.event} (after)`);
      }
    }
  }
}

/** The audit record could not be stored: the action was not carried out, and its answer says so. */
class AuditWriteFailure extends ActionError {
  constructor(readonly reason: unknown) {
    super('INTERNAL', 'The audit log could not be written, so nothing was done; try again later');
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

  constructor(private readonly perSecond: number, now: number) {
    this.bucket = new TokenBucket(perSecond * 2, perSecond / 1000, now);
  }

  take(now: number): WireError | null {
    if (this.bucket.take(now)) return null;
    return { code: 'RATE_LIMITED', message: `Too many messages: at most ${this.perSecond} a second`, retryAfter: 1 };
  }
}
