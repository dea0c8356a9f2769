import type { Ack, RightId, WireError } from '@earshot/shared';
import { redact, type AuditEvent, type AuditLog } from '../audit/auditLog.js';
import { ActionError } from '../domain/actionError.js';
import type { Actor } from '../domain/actor.js';
import { decideAccessAny } from '../domain/decideAccess.js';
import type { Store } from '../store/repositories.js';
import { toWireError } from '../wireError.js';
import { ActionEffect } from './plannedEffect.js';

/**
 * The one request pipeline of every live or admin request, whatever carries it (socket.io or HTTP):
 * parse → authenticate → authorize (right + scope) → decide → audit → apply → answer, and the one place
 * where an error is shaped for the answer. The transports are thin adapters (`realtime/actionWrapper.ts`,
 * `http/httpRoute.ts`): they name the request's steps and turn the outcome into an ack or a reply.
 */

export interface AuditTarget {
  type: string;
  id: string;
}

/** What the steps learn as they go, for the request's audit record: who, on what, with which details. */
export class RequestTrail {
  input: unknown = undefined;
  target: AuditTarget | null = null;
  readonly detail: Record<string, unknown> = {};
  /** An answer that refuses though the handler shaped it itself (a 416): audited as refused. */
  refusal: ActionError | undefined = undefined;

  /** Before authentication: who the transport says is asking (a socket's user), or nobody (an HTTP request). */
  constructor(public actor: Pick<Actor, 'id' | 'displayName'> | null) {}

  note(detail: Record<string, unknown>): void {
    Object.assign(this.detail, detail);
  }
}

/** Throws the refusal unless the actor holds one of `rights` over `targetUserId` (null: the right alone). */
export function authorize(actor: Actor, rights: readonly RightId[], targetUserId: number | null): void {
  if (rights.length === 0) return;
  const decision = decideAccessAny(actor, rights, targetUserId);
  if (!decision.allowed) throw new ActionError(decision.code, decision.message);
}

/** A repeated request answered with the first one's answer: neither acted on nor audited again. */
export class Replay {
  constructor(readonly answer: Ack<unknown>) {}
}

/**
 * Who writes the request's audit record: the pipeline for every outcome (`all`), the pipeline for refusals
 * only (`refusals`: reads), or the handler itself (`handler`: login and logout, whose records carry the
 * login throttle's and the token's details).
 */
export type AuditPolicy = 'all' | 'refusals' | 'handler';

export interface PipelineRequest<I, A extends { actor: Actor }, R> {
  /** The audit record's action (`profiles:create`, `recordings:play`). */
  action: string;
  trail: RequestTrail;
  audit: AuditPolicy;
  /** The record carries the parsed input (secrets redacted): socket actions, whose input is the request. */
  recordInput?: boolean;
  /** The input, checked against its schema (INVALID otherwise). */
  parse(): I;
  /**
   * The caller's login, checked again for this request (UNAUTHENTICATED otherwise); null: anyone may ask
   * (login). Given the input, since a credential may be bound to what it asks for (a recording's ticket).
   */
  authenticate(input: I): Promise<A | null>;
  /** The rights and scope the request needs; throws the refusal. */
  authorize(input: I, auth: A | null): Promise<void> | void;
  /** Answers, or returns the change (`effect(...)`) the pipeline carries out with its audit record. */
  handle(input: I, auth: A | null): Promise<R | ActionEffect<R> | Replay>;
}

export interface PipelineDeps {
  audit: AuditLog;
  store: Pick<Store, 'transaction' | 'durable'>;
  logError: (err: unknown, where: string) => void;
}

export type PipelineOutcome<R> = { ok: true; result: R } | { ok: false; error: WireError; failure: unknown } | { ok: 'replayed'; answer: Ack<unknown> };

/**
 * The request's records were committed, but the disk refused to keep them: what an action did stays done (its
 * effect followed the commit), and its answer says the record is not safe.
 */
export class AuditSyncFailure extends ActionError {
  constructor(readonly reason: unknown) {
    super('INTERNAL', 'The audit record could not be written to disk; the server cannot keep its records, tell an administrator');
  }
}

/** The audit record could not be stored: the request was not carried out, and its answer says so. */
export class AuditWriteFailure extends ActionError {
  constructor(readonly reason: unknown) {
    super('INTERNAL', 'The audit log could not be written, so nothing was done; try again later');
  }
}

export async function runPipeline<I, A extends { actor: Actor }, R>(
  deps: PipelineDeps,
  req: PipelineRequest<I, A, R>,
  /** The audit target when the steps set none (an action's default: its first target user). */
  fallbackTarget: (result: R | undefined) => AuditTarget | null = () => null,
): Promise<PipelineOutcome<R>> {
  const { trail } = req;
  let result: R | undefined;
  let failure: unknown;
  /** The outcome's record is stored (a change's success is recorded with the change). */
  let audited = req.audit === 'handler';
  /** Something was committed (a record, a change): the answer waits until it is on disk. */
  let committed = req.audit === 'handler';
  const auditEvent = (error: unknown, outcome: R | undefined): AuditEvent => ({
    actor: trail.actor,
    action: req.action,
    target: trail.target ?? fallbackTarget(outcome),
    error,
    detail: req.recordInput && trail.input !== undefined ? { ...trail.detail, input: redact(trail.input) } : { ...trail.detail },
  });
  try {
    const input = req.parse();
    trail.input = input;
    const auth = await req.authenticate(input);
    if (auth) trail.actor = auth.actor;
    await req.authorize(input, auth);
    const outcome = await req.handle(input, auth);
    if (outcome instanceof Replay) return { ok: 'replayed', answer: outcome.answer };
    if (outcome instanceof ActionEffect) {
      const effectOf = outcome as ActionEffect<R>;
      // decide → audit in one transaction: a refusal from `decide` or a failed record leaves no write behind.
      let planned: ReturnType<typeof effectOf.decide>;
      try {
        planned = deps.store.transaction(() => {
          const p = effectOf.decide();
          if (req.audit === 'all') {
            try {
              deps.audit.recordNow(auditEvent(trail.refusal, p.result));
            } catch (e) {
              throw new AuditWriteFailure(e);
            }
          }
          p.alsoRecord?.();
          return p;
        });
      } catch (e) {
        // Nothing takes effect that is not audited: what the request did before deciding is undone first.
        await effectOf.abandon?.().catch((undoFailure: unknown) => deps.logError(undoFailure, `${req.action} (undo)`));
        throw e;
      }
      audited = audited || req.audit === 'all';
      committed = true;
      result = planned.result;
      try {
        planned.apply?.();
        await planned.afterApply?.();
      } catch (e) {
        // `apply` was checked in `decide` this same turn (a throw is a bug); `afterApply` undid itself. Either
        // way the failure is recorded as the request's error after its success.
        audited = req.audit === 'handler';
        throw e;
      }
    } else {
      result = outcome;
    }
  } catch (e) {
    failure = e;
    if (e instanceof AuditWriteFailure) deps.logError(e.reason, `${req.action} (audit)`);
    else if (!(e instanceof ActionError)) deps.logError(e, req.action);
  }

  const refused = failure !== undefined || trail.refusal !== undefined;
  if (!audited && (refused || req.audit === 'all')) {
    try {
      deps.audit.recordNow(auditEvent(failure ?? trail.refusal, result));
      committed = true;
    } catch (e) {
      // Not answered as done when its audit record could not be written.
      if (!(failure instanceof AuditWriteFailure)) deps.logError(e, `${req.action} (audit)`);
      failure = new AuditWriteFailure(e);
    }
  }
  // Audit before ack: the answer leaves once the records (and the changes committed with them) are on disk.
  // The effect has already been applied, right after its commit: the agent's notice does not wait for the disk.
  if (committed) {
    try {
      await deps.store.durable();
    } catch (e) {
      deps.logError(e, `${req.action} (audit sync)`);
      if (!(failure instanceof AuditWriteFailure)) failure = new AuditSyncFailure(e);
    }
  }
  if (failure !== undefined) return { ok: false, error: toWireError(failure), failure };
  return { ok: true, result: result as R };
}
