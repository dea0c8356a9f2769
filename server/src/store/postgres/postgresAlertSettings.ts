import type { AlertThresholds } from '@earshot/shared';
import { INSTALLED_ALERT_THRESHOLDS, NO_OWN_THRESHOLDS } from '@earshot/shared';
import type { AlertPreferences, AlertSettingsRepository } from '../repositories.js';
import { DEFAULT_THRESHOLDS_KEY as DEFAULTS_KEY, readThresholds } from '../storedThresholds.js';
import type { PostgresDatabase } from './postgresDatabase.js';

export class PostgresAlertSettingsRepository implements AlertSettingsRepository {
  constructor(private readonly db: PostgresDatabase) {}

  async defaults(): Promise<AlertThresholds | null> {
    const [row] = await this.db.read<{ value: string }>('SELECT value FROM settings WHERE key = $1', [DEFAULTS_KEY]);
    return row ? readThresholds(row.value, INSTALLED_ALERT_THRESHOLDS) : null;
  }

  setDefaults(thresholds: AlertThresholds, now: number): void {
    this.db.query(
      `INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)
        ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      [DEFAULTS_KEY, JSON.stringify(thresholds), now],
    );
  }

  async preferences(userId: number): Promise<AlertPreferences | null> {
    const [row] = await this.db.read<{ thresholds: string; desktop: boolean; sound: boolean }>(
      'SELECT thresholds, desktop, sound FROM alert_preferences WHERE user_id = $1',
      [userId],
    );
    return row ? { own: readThresholds(row.thresholds, NO_OWN_THRESHOLDS), signals: { desktop: row.desktop, sound: row.sound } } : null;
  }

  setPreferences(userId: number, { own, signals }: AlertPreferences, now: number): void {
    this.db.query(
      `INSERT INTO alert_preferences (user_id, thresholds, desktop, sound, updated_at) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (user_id) DO UPDATE SET thresholds = excluded.thresholds, desktop = excluded.desktop, sound = excluded.sound,
        updated_at = excluded.updated_at`,
      [userId, JSON.stringify(own), signals.desktop, signals.sound, now],
    );
  }
}
