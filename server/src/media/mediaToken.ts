import { randomBytes } from 'node:crypto';
import { CallIdSchema, MEDIA_PATH, MEDIA_TOKEN_TTL_MS, SessionIdSchema, type MediaTokenResponse, type MediaTrack } from '@earshot/shared';
import { z } from 'zod';
import { ActionError } from '../domain/actionError.js';
import type { TokenSigner } from './signedToken.js';

/**
 * What a media token is bound to (docs/architecture.md "Media plane": "a short-lived media token bound to one
 * supervision session or agent call"). The socket it opens sends that party's track only.
 */
export type MediaBinding = { kind: 'supervisor'; userId: number; callId: string; sessionId: string } | { kind: 'agent'; userId: number; callId: string };

export function trackSentBy(binding: MediaBinding): MediaTrack {
  return binding.kind;
}

const MediaTokenPayloadSchema = z.object({
  p: z.literal('media'),
  k: z.enum(['agent', 'supervisor']),
  u: z.number().int().positive(),
  c: CallIdSchema,
  s: SessionIdSchema.nullable(),
  e: z.number(),
  n: z.string().min(1).max(40),
});

export function issueMediaToken(signer: TokenSigner, binding: MediaBinding, now: number): MediaTokenResponse {
  const expiresAt = now + MEDIA_TOKEN_TTL_MS;
  const sessionId = binding.kind === 'supervisor' ? binding.sessionId : null;
  const token = signer.sign({
    p: 'media',
    k: binding.kind,
    u: binding.userId,
    c: binding.callId,
    s: sessionId,
    e: expiresAt,
    n: randomBytes(12).toString('base64url'),
  });
  return { token, expiresAt, path: MEDIA_PATH, callId: binding.callId, sessionId, sends: trackSentBy(binding) };
}

/** Checks media tokens and lets each one work once. */
export class MediaTokenRedeemer {
  /** nonce → expiry of the tokens already used; forgotten once they would have expired anyway. */
  private readonly used = new Map<string, number>();

  constructor(private readonly signer: TokenSigner) {}

  redeem(token: unknown, now: number): MediaBinding {
    for (const [nonce, expiresAt] of this.used) if (expiresAt < now) this.used.delete(nonce);
    if (typeof token !== 'string' || token === '') throw new ActionError('UNAUTHENTICATED', 'A media token is required (?token=, from media:token)');
    const p = this.signer.verify(token, MediaTokenPayloadSchema);
    if (!p) throw new ActionError('UNAUTHENTICATED', 'The media token is not valid');
    if (p.e < now) throw new ActionError('UNAUTHENTICATED', 'The media token has expired; ask for a new one (media:token)');
    if (this.used.has(p.n)) throw new ActionError('UNAUTHENTICATED', 'The media token was already used; ask for a new one (media:token)');
    this.used.set(p.n, p.e);
    if (p.k === 'supervisor') {
      if (p.s === null) throw new ActionError('UNAUTHENTICATED', 'The media token is not valid');
      return { kind: 'supervisor', userId: p.u, callId: p.c, sessionId: p.s };
    }
    return { kind: 'agent', userId: p.u, callId: p.c };
  }
}
