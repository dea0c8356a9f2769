import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations.js';

export type SqliteDatabase = Database.Database;

export const DATABASE_FILE = 'earshot.sqlite';

/** Opens (creating when new) the store under `dataDir`, or an in-memory one for `:memory:`, and migrates it. */
export function openDatabase(dataDir: string): { db: SqliteDatabase; created: boolean; path: string } {
  const path = dataDir === ':memory:' ? ':memory:' : join(dataDir, DATABASE_FILE);
  if (path !== ':memory:') mkdirSync(dataDir, { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // NORMAL: a commit is in the WAL, which the operating system holds (a killed process loses nothing), and
  // is synced to disk by the store's WalSync, off the event loop and for several commits at once: an audited
  // action is acknowledged only once its commit is synced (`Store.durable`), and the audit anchor syncs before
  // it signs a head, so a power loss can take neither an acknowledged action's record nor a record a
  // checkpoint names (README "Durability"). FULL synced inside each commit, holding the event loop.
  db.pragma('synchronous = NORMAL');
  const created = migrate(db);
  return { db, created, path };
}

/** Applies the pending migrations; true when the database was new. */
export function migrate(db: SqliteDatabase): boolean {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
  const current = row.v ?? 0;
  const pending = MIGRATIONS.filter((m) => m.version > current);
  const apply = db.transaction(() => {
    for (const m of pending) {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, Date.now());
    }
  });
  apply();
  return current === 0;
}

export type PreparedStatement = Database.Statement;

/**
 * Statements prepared once per database and reused: preparing is a parse of the SQL, and on the hot paths
 * (the per-message session check, the audit append) it cost more than running the statement.
 */
export function statementCache(db: SqliteDatabase): (sql: string) => PreparedStatement {
  const cache = new Map<string, PreparedStatement>();
  return (sql) => {
    let stmt = cache.get(sql);
    if (!stmt) cache.set(sql, (stmt = db.prepare(sql)));
    return stmt;
  };
}
