import { INSTALLED_ALERT_THRESHOLDS, NO_OWN_THRESHOLDS, type AlertThresholds } from '@earshot/shared';
import { statementCache, type PreparedStatement, type SqliteDatabase } from './openDatabase.js';
import type { AlertPreferences, AlertSettingsRepository } from './repositories.js';
import { DEFAULT_THRESHOLDS_KEY as DEFAULTS_KEY, readThresholds } from './storedThresholds.js';

export class SqliteAlertSettingsRepository implements AlertSettingsRepository {
  private readonly sql: (sql: string) => PreparedStatement;

  constructor(db: SqliteDatabase) {
    this.sql = statementCache(db);
  }

  async defaults(): Promise<AlertThresholds | null> {
    const row = this.sql('SELECT value FROM settings WHERE key = ?').get(DEFAULTS_KEY) as { value: string } | undefined;
    return row ? readThresholds(row.value, INSTALLED_ALERT_THRESHOLDS) : null;
  }

  setDefaults(thresholds: AlertThresholds, now: number): void {
    this.sql(`INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
      ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`).run(DEFAULTS_KEY, JSON.stringify(thresholds), now);
  }

  async preferences(userId: number): Promise<AlertPreferences | null> {
    const row = this.sql('SELECT thresholds, desktop, sound FROM alert_preferences WHERE user_id = ?').get(userId) as
      | { thresholds: string; desktop: number; sound: number }
      | undefined;
    if (!row) return null;
    return { own: readThresholds(row.thresholds, NO_OWN_THRESHOLDS), signals: { desktop: row.desktop === 1, sound: row.sound === 1 } };
  }

  setPreferences(userId: number, { own, signals }: AlertPreferences, now: number): void {
    this.sql(`INSERT INTO alert_preferences (user_id, thresholds, desktop, sound, updated_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (user_id) DO UPDATE SET thresholds = excluded.thresholds, desktop = excluded.desktop, sound = excluded.sound,
      updated_at = excluded.updated_at`).run(userId, JSON.stringify(own), signals.desktop ? 1 : 0, signals.sound ? 1 : 0, now);
  }
}
