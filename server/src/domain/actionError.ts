import type { ErrorCode } from '@earshot/shared';

/**
 * The one error type of the product. Domain rules, storage and transport throw it; one function
 * (`toWireError`) shapes it for the wire, and anything else that is thrown becomes INTERNAL there.
 */
export class ActionError extends Error {
  readonly code: ErrorCode;
  /** Seconds until the caller may try again (RATE_LIMITED). */
  readonly retryAfter: number | undefined;
  /** The node to connect to instead (an agent's plugin attaching away from its home node). */
  readonly homeUrl: string | undefined;

  constructor(code: ErrorCode, message: string, options: { retryAfter?: number; homeUrl?: string } = {}) {
    super(message);
    this.name = 'ActionError';
    this.code = code;
    this.retryAfter = options.retryAfter;
    this.homeUrl = options.homeUrl;
  }
}
