import type { AlertDefaults, AlertSettings } from '@earshot/shared';

/**
 * What an admin change does to the live floor (docs/permissions.md rule 7: changes take effect at once).
 * The gateway implements it with socket.io rooms, so it works across nodes with an adapter.
 */
export interface LiveEffects {
  /** These users' rights or scope may have changed: push `me:rights` and re-check what they hold. */
  rightsChanged(userIds: readonly number[]): Promise<void>;
  /** These logins were revoked: close their sockets. */
  loginsRevoked(loginIds: readonly number[]): Promise<void>;
  /** The user is gone: close every socket of theirs. */
  userDeleted(userId: number): Promise<void>;
  /** The default alert thresholds changed: every signed-in user's effective thresholds may have. */
  alertDefaultsChanged(defaults: AlertDefaults): void;
  /** The user changed their own alert settings: their other tabs follow. */
  alertSettingsChanged(userId: number, settings: AlertSettings): void;
}
