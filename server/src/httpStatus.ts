import type { ErrorCode } from '@earshot/shared';

/**
 * The HTTP status of each error code: the HTTP routes answer with it, and so does the media endpoint when it
 * refuses a WebSocket upgrade. Beside `wireError.ts`, not in `http/`, since both transports use it.
 */
export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  OUT_OF_SCOPE: 403,
  INVALID: 400,
  CONFLICT: 409,
  NOT_FOUND: 404,
  RATE_LIMITED: 429,
  INTERNAL: 500,
};
