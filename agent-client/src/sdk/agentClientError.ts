import type { ErrorCode, WireError } from '@earshot/shared';

/** What the SDK itself detects, besides the server's wire error codes. */
export const CLIENT_ERROR_CODES = {
  /** The action was not sent: the connection is down (it reconnects by itself). */
  DISCONNECTED: 'DISCONNECTED',
  /** The server did not answer in time. */
  TIMEOUT: 'TIMEOUT',
  /** The server could not be reached over HTTP. */
  NETWORK: 'NETWORK',
  /** The server sent something the shared schemas refuse. */
  PROTOCOL: 'PROTOCOL',
  /** A call action without a call to act on. */
  NO_CALL: 'NO_CALL',
  /** A help action without an open help request. */
  NO_HELP_REQUEST: 'NO_HELP_REQUEST',
} as const;
export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[keyof typeof CLIENT_ERROR_CODES];

/** Every failure the SDK reports: a refusal from the server (its code and message as sent) or one of its own. */
export class AgentClientError extends Error {
  override readonly name = 'AgentClientError';

  constructor(
    readonly code: ErrorCode | ClientErrorCode,
    message: string,
    /** Seconds until a RATE_LIMITED caller may try again. */
    readonly retryAfter?: number,
    /** Several nodes: the agent's home node, where the plugin must attach (an attach elsewhere is refused with it). */
    readonly homeUrl?: string,
  ) {
    super(message);
  }

  static fromWire(error: WireError): AgentClientError {
    return new AgentClientError(error.code, error.message, error.retryAfter, error.homeUrl);
  }
}
