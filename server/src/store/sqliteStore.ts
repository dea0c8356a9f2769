import { openDatabase, type SqliteDatabase } from './openDatabase.js';
import type { Store } from './repositories.js';
import { SqliteAlertSettingsRepository } from './sqliteAlertSettings.js';
import { SqliteAuditRepository } from './sqliteAudit.js';
import { SqliteProfileRepository } from './sqliteProfiles.js';
import { SqliteRecordingRepository } from './sqliteRecordings.js';
import { SqliteLoginSessionRepository } from './sqliteSessions.js';
import { SqliteSupervisionRepository } from './sqliteSupervisions.js';
import { SqliteTeamRepository } from './sqliteTeams.js';
import { SqliteUserRepository } from './sqliteUsers.js';
import { WalCheckpointer } from './walCheckpointer.js';
import { WalSync } from './walSync.js';

export function createSqliteStore(db: SqliteDatabase): Store {
  const sessions = new SqliteLoginSessionRepository(db);
  const wal = WalSync.of(db.name);
  const audit = new SqliteAuditRepository(db);
  const append = audit.append.bind(audit);
  // An audit record, written alone or in a transaction, reaches the disk with the next sync even when nobody awaits it.
  audit.append = (entry) => {
    const record = append(entry);
    wal.wrote();
    return record;
  };
  // One transaction function for every transaction: better-sqlite3 builds its wrapper (and its BEGIN, COMMIT
  // and savepoint statements) anew on each `db.transaction(...)`, which cost more than an audit append's SQL.
  const inTransaction = db.transaction((work: () => unknown) => work());
  return {
    profiles: new SqliteProfileRepository(db),
    // A deleted user's sessions go with their row (ON DELETE CASCADE): the sessions kept in memory too.
    users: new SqliteUserRepository(db, (userId) => sessions.forgetUser(userId)),
    teams: new SqliteTeamRepository(db),
    sessions,
    audit,
    recordings: new SqliteRecordingRepository(db),
    supervisions: new SqliteSupervisionRepository(db),
    alertSettings: new SqliteAlertSettingsRepository(db),
    transaction: (work) => {
      const result = inTransaction(work) as ReturnType<typeof work>;
      wal.wrote();
      return result;
    },
    durable: () => wal.durable(),
    syncNow: () => wal.syncNow(),
    close: () => {
      db.close();
      wal.close();
    },
  };
}

/** The store under `dataDir` (`:memory:` for a throwaway one); `created` is true on a new data directory. */
export function openSqliteStore(dataDir: string, checkpointEveryMs?: number): { store: Store; created: boolean; path: string } {
  const { db, created, path } = openDatabase(dataDir);
  const store = createSqliteStore(db);
  if (path === ':memory:') return { store, created, path };
  const checkpointer = new WalCheckpointer(db, path, checkpointEveryMs);
  const close = store.close;
  store.close = () => {
    checkpointer.close();
    close();
  };
  return { store, created, path };
}
