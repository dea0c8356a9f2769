import type { IncomingHttpHeaders } from 'node:http';

/**
 * Which browser origins may open a socket: the server's own origin (the Origin matches the Host the
 * request came to) and the configured allowlist. A client that sends no Origin is not a browser page
 * (the Node SDK, an Electron shell): cross-site request forgery needs a browser, and such a client still
 * needs a token.
 */
export function originAllowed(headers: IncomingHttpHeaders, allowlist: readonly string[], secure: boolean): boolean {
  const origin = headers.origin;
  if (origin === undefined) return true;
  if (allowlist.includes(origin) || allowlist.includes('*')) return true;
  const host = headers.host;
  return host !== undefined && (origin === `http://${host}` || (secure && origin === `https://${host}`));
}

/** The configured origins plus the public URL's origin. */
export function originAllowlist(allowedOrigins: readonly string[], publicUrl: string | null): string[] {
  const list = [...allowedOrigins];
  if (publicUrl) list.push(new URL(publicUrl).origin);
  return list;
}
