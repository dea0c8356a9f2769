import type { Ack } from '@earshot/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HTTP_STATUS } from '../httpStatus.js';
import { toWireError } from '../wireError.js';

/** HTTP answers use the same envelope as socket acks, with the error code's status. */
export function sendError(reply: FastifyReply, e: unknown) {
  const error = toWireError(e);
  if (error.retryAfter !== undefined) reply.header('Retry-After', String(error.retryAfter));
  return reply.code(HTTP_STATUS[error.code]).send({ ok: false, error } satisfies Ack<never>);
}

/** The token of `Authorization: Bearer <token>`. */
export function bearer(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7).trim() : undefined;
}
