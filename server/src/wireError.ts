import { sentencesOfZodError, type WireError } from '@earshot/shared';
import type { z } from 'zod';
import { ActionError } from './domain/actionError.js';

/** The one place an error is shaped for the wire: known codes pass, anything else is INTERNAL, no stack. */
export function toWireError(e: unknown): WireError {
  if (e instanceof ActionError) {
    const wire: WireError = { code: e.code, message: e.message };
    if (e.retryAfter !== undefined) wire.retryAfter = e.retryAfter;
    if (e.homeUrl !== undefined) wire.homeUrl = e.homeUrl;
    return wire;
  }
  return { code: 'INTERNAL', message: 'The server failed to complete this action; it has been logged' };
}

/** A zod failure as INVALID, in sentences that name the field(s): "The password needs at least 8 characters." */
export function invalidFromZod(error: z.ZodError): ActionError {
  return new ActionError('INVALID', sentencesOfZodError(error));
}
