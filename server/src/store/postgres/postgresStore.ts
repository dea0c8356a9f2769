import type { Store } from '../repositories.js';
import { PostgresAlertSettingsRepository } from './postgresAlertSettings.js';
import { PostgresAuditRepository } from './postgresAudit.js';
import { PostgresDatabase } from './postgresDatabase.js';
import { migratePostgres } from './postgresMigrations.js';
import { PostgresProfileRepository } from './postgresProfiles.js';
import { PostgresRecordingRepository } from './postgresRecordings.js';
import { PostgresLoginSessionRepository } from './postgresSessions.js';
import { PostgresSupervisionRepository } from './postgresSupervisions.js';
import { PostgresTeamRepository } from './postgresTeams.js';
import { PostgresUserRepository } from './postgresUsers.js';

export function createPostgresStore(db: PostgresDatabase): Store {
  return {
    profiles: new PostgresProfileRepository(db),
    users: new PostgresUserRepository(db),
    teams: new PostgresTeamRepository(db),
    sessions: new PostgresLoginSessionRepository(db),
    audit: new PostgresAuditRepository(db),
    recordings: new PostgresRecordingRepository(db),
    supervisions: new PostgresSupervisionRepository(db),
    alertSettings: new PostgresAlertSettingsRepository(db),
    transaction: (work) => db.transaction(work),
    // PostgreSQL has made a commit durable (synchronous_commit) before it answers it.
    durable: async () => undefined,
    syncNow: () => undefined,
    close: () => db.close(),
  };
}

/** The URL as shown to a person: without its password. */
export function shownDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres (unreadable DATABASE_URL)';
  }
}

/**
 * Connects to the PostgreSQL store at `url` and migrates it (one node at a time). `created` is true when the
 * database held no Earshot schema yet, as a new DATA_DIR is for SQLite.
 */
export function openPostgresStore(url: string): { store: Store; created: boolean; path: string } {
  const db = new PostgresDatabase(url);
  try {
    const created = migratePostgres(db);
    return { store: createPostgresStore(db), created, path: shownDatabaseUrl(url) };
  } catch (e) {
    db.close();
    throw e;
  }
}
