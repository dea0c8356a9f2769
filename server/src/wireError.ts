import type { WireError } from '@earshot/shared';
import type { z } from 'zod';
import { ActionError } from './domain/actionError.js';

/** The one place an error is shaped for the wire: known codes pass, anything else is INTERNAL, no stack. */
export function toWireError(e: unknown): WireError {
  if (e instanceof ActionError) {
    return e.retryAfter !== undefined ? { code: e.code, message: e.message, retryAfter: e.retryAfter } : { code: e.code, message: e.message };
  }
  return { code: 'INTERNAL', message: 'The server failed to complete this action; it has been logged' };
}

/** A zod failure as INVALID, naming the field(s): "rights.0: Invalid option: ...". */
export function invalidFromZod(error: z.ZodError, root = 'payload'): ActionError {
  const parts = error.issues.slice(0, 3).map((i) => `${i.path.length ? i.path.join('.') : root}: ${i.message}`);
  const more = error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : '';
  return new ActionError('INVALID', parts.join('; ') + more);
}
