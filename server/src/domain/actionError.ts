import type { ErrorCode } from '@earshot/shared';

/**
 * The one error type of the product. Domain rules, storage and transport throw it; one function
 * (`toWireError`) shapes it for the wire, and anything else that is thrown becomes INTERNAL there.
 */
export class ActionError extends Error {
  readonly code: ErrorCode;
  /** Seconds until the caller may try again (RATE_LIMITED). */
  readonly retryAfter: number | undefined;

  constructor(code: ErrorCode, message: string, options: { retryAfter?: number } = {}) {
    super(message);
    this.name = 'ActionError';
    this.code = code;
    this.retryAfter = options.retryAfter;
  }
}
