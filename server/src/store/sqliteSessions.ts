import { statementCache, type PreparedStatement, type SqliteDatabase } from './openDatabase.js';
import type { LoginSession, LoginSessionRepository } from './repositories.js';

/**
 * Login sessions in SQLite. Every socket message re-checks its login (`isActive`), so the sessions in use
 * are also kept in memory: this repository is the only writer of the table in the process, and every
 * revoke passes through it, so the copy cannot go stale. A session seen revoked or expired is dropped from
 * memory (the table still answers for it).
 */
export class SqliteLoginSessionRepository implements LoginSessionRepository {
  private readonly sql: (sql: string) => PreparedStatement;
  private readonly live = new Map<number, { userId: number; expiresAt: number }>();

  constructor(db: SqliteDatabase) {
    this.sql = statementCache(db);
  }

  async create(userId: number, tokenHash: string, expiresAt: number, now: number): Promise<LoginSession> {
    const info = this.sql('INSERT INTO login_sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)').run(
      tokenHash,
      userId,
      now,
      expiresAt,
    );
    const id = Number(info.lastInsertRowid);
    this.live.set(id, { userId, expiresAt });
    return { id, userId, expiresAt };
  }

  async findActive(tokenHash: string, now: number): Promise<LoginSession | null> {
    const r = this.sql('SELECT id, user_id, expires_at FROM login_sessions WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > ?').get(
      tokenHash,
      now,
    ) as { id: number; user_id: number; expires_at: number } | undefined;
    return r ? { id: r.id, userId: r.user_id, expiresAt: r.expires_at } : null;
  }

  async isActive(id: number, now: number): Promise<boolean> {
    let known = this.live.get(id);
    if (!known) {
      const r = this.sql('SELECT user_id, expires_at FROM login_sessions WHERE id = ? AND revoked_at IS NULL').get(id) as
        | { user_id: number; expires_at: number }
        | undefined;
      if (!r) return false;
      this.live.set(id, (known = { userId: r.user_id, expiresAt: r.expires_at }));
    }
    if (known.expiresAt > now) return true;
    this.live.delete(id);
    return false;
  }

  async revoke(id: number, now: number): Promise<void> {
    this.sql('UPDATE login_sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, id);
    this.live.delete(id);
  }

  /** The user's row is gone, and their sessions with it. */
  forgetUser(userId: number): void {
    for (const [id, s] of this.live) if (s.userId === userId) this.live.delete(id);
  }

  revokeAllForUser(userId: number, now: number): number[] {
    const rows = this.sql('SELECT id FROM login_sessions WHERE user_id = ? AND revoked_at IS NULL').all(userId) as { id: number }[];
    this.sql('UPDATE login_sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL').run(now, userId);
    for (const r of rows) this.live.delete(r.id);
    return rows.map((r) => r.id);
  }
}
