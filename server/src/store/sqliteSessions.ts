import { statementCache, type PreparedStatement, type SqliteDatabase } from './openDatabase.js';
import type { LoginSession, LoginSessionRepository } from './repositories.js';

export class SqliteLoginSessionRepository implements LoginSessionRepository {
  private readonly sql: (sql: string) => PreparedStatement;

  constructor(private readonly db: SqliteDatabase) {
    this.sql = statementCache(db);
  }

  async create(userId: number, tokenHash: string, expiresAt: number, now: number): Promise<LoginSession> {
    const info = this.db
      .prepare('INSERT INTO login_sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)')
      .run(tokenHash, userId, now, expiresAt);
    return { id: Number(info.lastInsertRowid), userId, expiresAt };
  }

  async findActive(tokenHash: string, now: number): Promise<LoginSession | null> {
    const r = this.db
      .prepare('SELECT id, user_id, expires_at FROM login_sessions WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > ?')
      .get(tokenHash, now) as { id: number; user_id: number; expires_at: number } | undefined;
    return r ? { id: r.id, userId: r.user_id, expiresAt: r.expires_at } : null;
  }

  async isActive(id: number, now: number): Promise<boolean> {
    return !!this.sql('SELECT 1 FROM login_sessions WHERE id = ? AND revoked_at IS NULL AND expires_at > ?').get(id, now);
  }

  async revoke(id: number, now: number): Promise<void> {
    this.sql('UPDATE login_sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, id);
  }

  async revokeAllForUser(userId: number, now: number): Promise<number[]> {
    const rows = this.sql('SELECT id FROM login_sessions WHERE user_id = ? AND revoked_at IS NULL').all(userId) as { id: number }[];
    this.sql('UPDATE login_sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL').run(now, userId);
    return rows.map((r) => r.id);
  }
}
