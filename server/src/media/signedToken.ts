import { createHmac, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';

/** Longer than any token this server signs: refused before any parsing. */
const MAX_TOKEN_LENGTH = 600;

/**
 * Short-lived tokens signed with the server's secret (HMAC-SHA256): `<payload>.<signature>`, both
 * base64url, the payload JSON. Stateless, so whoever holds the secret can check one without a lookup; the
 * payload names its purpose, so a token of one kind never passes for another, and carries its expiry.
 */
export class TokenSigner {
  constructor(private readonly secret: string) {}

  sign(payload: Record<string, unknown>): string {
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  /** The payload, when the signature is ours and the payload has the shape; else null (never throws). */
  verify<T>(token: unknown, schema: z.ZodType<T>): T | null {
    if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return null;
    const [body, signature, extra] = token.split('.');
    if (!body || !signature || extra !== undefined) return null;
    const expected = Buffer.from(this.mac(body));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    try {
      const parsed = schema.safeParse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  private mac(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url');
  }
}
