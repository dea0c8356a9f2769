import { z } from 'zod';
import { RightIdSchema } from '../rights.js';
import { ScopeSchema } from '../scopes.js';
import { IdSchema, TimestampSchema } from './common.js';

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;

export const UsernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(64)
  .regex(USERNAME_PATTERN, 'The username may use only lowercase letters, digits, dot, dash or underscore, and starts with a letter or digit');

export const PasswordSchema = z.string().min(8).max(200);

/** POST /api/login */
export const LoginRequestSchema = z.strictObject({
  username: z.string().trim().toLowerCase().min(1).max(64),
  password: z.string().min(1).max(200),
});
export type LoginRequest = z.infer<typeof LoginRequestSchema>;

/** What a signed-in user may do now; pushed again as `me:rights` whenever it changes. */
export const MeRightsSchema = z.object({
  userId: IdSchema,
  profileId: IdSchema,
  profileName: z.string(),
  rights: z.array(RightIdSchema),
  scope: ScopeSchema,
});
export type MeRights = z.infer<typeof MeRightsSchema>;

export const MeSchema = z.object({
  id: IdSchema,
  username: z.string(),
  displayName: z.string(),
  rights: MeRightsSchema,
});
export type Me = z.infer<typeof MeSchema>;

export const LoginResponseSchema = z.object({
  token: z.string(),
  expiresAt: TimestampSchema,
  me: MeSchema,
});
export type LoginResponse = z.infer<typeof LoginResponseSchema>;

/** The apps that open a control socket; the server counts its sockets by them. */
export const CLIENT_KINDS = ['supervisor', 'agent'] as const;

/** Sent in `socket.handshake.auth`: the login token, and which app opens the socket (for the server's metrics; optional). */
export const HandshakeAuthSchema = z.object({ token: z.string().min(1).max(200), client: z.enum(CLIENT_KINDS).optional() });
export type HandshakeAuth = z.infer<typeof HandshakeAuthSchema>;

/** POST /api/logout answer: the token is revoked and its sockets closed. */
export const LogoutResponseSchema = z.object({ loggedOut: z.literal(true) });
export type LogoutResponse = z.infer<typeof LogoutResponseSchema>;
