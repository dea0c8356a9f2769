import { createHash, randomBytes } from 'node:crypto';
import type { LoginResponse, Me, MeRights } from '@earshot/shared';
import { ActionError } from '../domain/actionError.js';
import type { Actor } from '../domain/actor.js';
import { LoginThrottle } from '../domain/loginThrottle.js';
import { normalizeRights } from '../domain/profileRules.js';
import type { ServerConfig } from '../config.js';
import { hashPassword, needsRehash, unknownUserHash, verifyPassword } from '../store/passwords.js';
import type { LoginSession, Store } from '../store/repositories.js';
import type { AuditLog } from '../audit/auditLog.js';

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export function meRightsOf(actor: Actor): MeRights {
  return {
    userId: actor.id,
    profileId: actor.profileId,
    profileName: actor.profileName,
    rights: normalizeRights([...actor.rights]),
    scope: actor.scope,
  };
}

/** Login, logout and token checks. Tokens are random; only their hash is stored. */
export class AuthService {
  private readonly throttle: LoginThrottle;
  /** What an unknown username's password is checked against: a hash at the configured cost. */
  readonly unknownUserHash: string;

  constructor(
    private readonly store: Store,
    private readonly audit: AuditLog,
    private readonly config: ServerConfig,
    private readonly now: () => number,
    /** Told when a failed login locks a username or an address out (the metrics count it). */
    private readonly onLockout: () => void = () => {},
  ) {
    this.throttle = new LoginThrottle({
      maxFailures: config.loginMaxFailures,
      windowMs: config.loginFailureWindowMs,
      lockoutMs: config.loginLockoutMs,
    });
    this.unknownUserHash = unknownUserHash(config.passwordHashCost);
  }

  async login(username: string, password: string, address: string): Promise<LoginResponse> {
    const now = this.now();
    const wait = this.throttle.retryAfter(username, address, now);
    if (wait > 0) {
      await this.audit.record({ actor: null, action: 'auth:login', target: { type: 'user', id: username }, error: rateLimited(wait), detail: { address } });
      throw rateLimited(wait);
    }
    const creds = await this.store.users.credentials(username);
    // Compare against a dummy hash for unknown users, so the answer takes as long either way.
    const ok = await verifyPassword(password, creds?.passwordHash ?? this.unknownUserHash);
    if (!creds || !ok) {
      this.throttle.recordFailure(username, address, now);
      if (this.throttle.retryAfter(username, address, now) > 0) this.onLockout();
      const err = new ActionError('UNAUTHENTICATED', 'Wrong username or password');
      await this.audit.record({ actor: null, action: 'auth:login', target: { type: 'user', id: username }, error: err, detail: { address } });
      throw err;
    }
    this.throttle.recordSuccess(username);
    // The password is at hand only now: a hash made at another cost (PASSWORD_HASH_COST changed since) is replaced.
    const rehashed = needsRehash(creds.passwordHash, this.config.passwordHashCost);
    if (rehashed) await this.store.users.update(creds.id, { passwordHash: await hashPassword(password, this.config.passwordHashCost) });
    const actor = (await this.store.users.actor(creds.id))!;
    const token = randomBytes(32).toString('base64url');
    const session = await this.store.sessions.create(creds.id, hashToken(token), now + this.config.sessionTtlMs, now);
    await this.audit.record({
      actor,
      action: 'auth:login',
      target: { type: 'user', id: String(creds.id) },
      detail: { address, loginId: session.id, ...(rehashed ? { rehashedAtCost: this.config.passwordHashCost } : {}) },
    });
    return { token, expiresAt: session.expiresAt, me: await this.me(actor) };
  }

  /** The active session a token names, or UNAUTHENTICATED (unknown, forged, revoked or expired). */
  async authenticate(token: unknown): Promise<{ session: LoginSession; actor: Actor }> {
    if (typeof token !== 'string' || token.length === 0 || token.length > 200) {
      throw new ActionError('UNAUTHENTICATED', 'A login token is required');
    }
    const session = await this.store.sessions.findActive(hashToken(token), this.now());
    if (!session) throw new ActionError('UNAUTHENTICATED', 'The login token is invalid or has expired; log in again');
    const actor = await this.store.users.actor(session.userId);
    if (!actor) throw new ActionError('UNAUTHENTICATED', 'The user of this login no longer exists');
    return { session, actor };
  }

  async logout(session: LoginSession, actor: Actor): Promise<void> {
    await this.store.sessions.revoke(session.id, this.now());
    await this.audit.record({ actor, action: 'auth:logout', target: { type: 'user', id: String(actor.id) }, detail: { loginId: session.id } });
  }

  async me(actor: Actor): Promise<Me> {
    const user = (await this.store.users.get(actor.id))!;
    return { id: user.id, username: user.username, displayName: user.displayName, rights: meRightsOf(actor) };
  }
}

function rateLimited(seconds: number): ActionError {
  return new ActionError('RATE_LIMITED', `Too many failed logins; try again in ${seconds} s`, { retryAfter: seconds });
}
