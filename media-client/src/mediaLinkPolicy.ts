import { MEDIA_CLOSE_CODES } from '@earshot/shared';

/**
 * What a listener does when its media socket closes or its token is refused (media README "Closing"). The
 * server ends a socket for good with 4000 (the session or call ended) and 4409 (a newer socket took it
 * over); 4400 means this client broke the protocol and would only break it again. Anything else (the
 * network, a server restart, 4408 too slow after a stall, 4429 a burst after one) is worth a new token.
 */
export type CloseOutcome = { kind: 'ended'; reason: string } | { kind: 'replaced' } | { kind: 'failed'; message: string } | { kind: 'retry' };

export function closeOutcome(code: number, reason: string): CloseOutcome {
  switch (code) {
    case MEDIA_CLOSE_CODES.ENDED:
      return { kind: 'ended', reason };
    case MEDIA_CLOSE_CODES.REPLACED:
      return { kind: 'replaced' };
    case MEDIA_CLOSE_CODES.INVALID_FRAME:
      return { kind: 'failed', message: `The server refused this page's audio: ${reason || 'invalid frame'}` };
    default:
      return { kind: 'retry' };
  }
}

/**
 * Waits before each new try, from the first; after the last one the audio gives up. About 13 s in all:
 * the control connection, which gives the tokens, reconnects within that when it can.
 */
export const RETRY_DELAYS_MS: readonly number[] = [250, 500, 1000, 2000, 4000, 5000];

/**
 * A refused `media:token` that asking again will not change: the session or call is gone or no longer
 * the caller's, the login ended, the request is wrong. Other failures (the control connection is down,
 * no answer in time, rate limited, a server error) are tried again.
 */
const FINAL_REFUSALS = new Set(['UNAUTHENTICATED', 'FORBIDDEN', 'OUT_OF_SCOPE', 'INVALID', 'NOT_FOUND', 'CONFLICT', 'PROTOCOL']);

export function tokenRefusal(error: unknown): { final: boolean; message: string } {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : null;
  const message =
    error instanceof Error
      ? error.message
      : typeof error === 'object' && error !== null && 'message' in error
        ? String((error as { message: unknown }).message)
        : String(error);
  return { final: code !== null && FINAL_REFUSALS.has(code), message };
}

/** `ws(s)://<the server's host><path>?token=<token>`, from the server's http(s) URL. */
export function mediaSocketUrl(serverUrl: string, path: string, token: string): string {
  const url = new URL(path, serverUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.searchParams.set('token', token);
  return url.href;
}
