import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Actor } from '../domain/actor.js';
import { runPipeline, type PipelineDeps, type PipelineRequest } from '../pipeline/requestPipeline.js';
import { invalidFromZod } from '../wireError.js';
import { sendError } from './httpReply.js';

/** Counts one answered request: its action, `ok` or the error code, and how long it took. */
export type ActionAnswered = (action: string, outcome: string, seconds: number) => void;

/** A route's result that writes the reply itself (a streamed file, a 416); any other is sent as `{ ok: true, data }`. */
export class WriteReply {
  constructor(readonly write: () => unknown) {}
}

/**
 * The fastify adapter of the request pipeline (`pipeline/requestPipeline.ts`): a route names its steps, the
 * pipeline runs and audits them, and the outcome becomes the reply — `{ ok: true, data }`, the route's own
 * reply (`WriteReply`), or the error envelope with its status.
 */
export async function answerRequest<I, A extends { actor: Actor }, R>(
  deps: Omit<PipelineDeps, 'logError'> & { answered?: ActionAnswered },
  req: FastifyRequest,
  reply: FastifyReply,
  request: PipelineRequest<I, A, R>,
): Promise<unknown> {
  const started = performance.now();
  const outcome = await runPipeline({ ...deps, logError: (err, where) => req.log.error({ err }, `${where} failed`) }, request);
  // Counted like a socket action (earshot_actions_total): a replay is answered, and answered well.
  deps.answered?.(request.action, outcome.ok === false ? outcome.error.code : 'ok', (performance.now() - started) / 1000);
  if (outcome.ok === true) return outcome.result instanceof WriteReply ? outcome.result.write() : { ok: true, data: outcome.result };
  if (outcome.ok === 'replayed') return outcome.answer;
  return sendError(reply, outcome.failure);
}

/** The part of a request a schema checks (body, query, id), INVALID in sentences naming the field when it fails. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalidFromZod(parsed.error);
  return parsed.data;
}
