import type { LoginSession, LoginSessionRepository } from '../repositories.js';
import type { PostgresDatabase } from './postgresDatabase.js';

/**
 * Login sessions in PostgreSQL. Every node shares the table and any node may revoke, so nothing is kept in
 * memory: `isActive` reads the row each time (one indexed read on the pool), and a revoke on one node holds
 * on every node from its commit on.
 */
export class PostgresLoginSessionRepository implements LoginSessionRepository {
  constructor(private readonly db: PostgresDatabase) {}

  async create(userId: number, tokenHash: string, expiresAt: number, now: number): Promise<LoginSession> {
    const [r] = await this.db.read<{ id: number }>(
      'INSERT INTO login_sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4) RETURNING id',
      [tokenHash, userId, now, expiresAt],
    );
    return { id: r!.id, userId, expiresAt };
  }

  async findActive(tokenHash: string, now: number): Promise<LoginSession | null> {
    const [r] = await this.db.read<{ id: number; user_id: number; expires_at: number }>(
      'SELECT id, user_id, expires_at FROM login_sessions WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > $2',
      [tokenHash, now],
    );
    return r ? { id: r.id, userId: r.user_id, expiresAt: r.expires_at } : null;
  }

  async isActive(id: number, now: number): Promise<boolean> {
    const rows = await this.db.read('SELECT 1 FROM login_sessions WHERE id = $1 AND revoked_at IS NULL AND expires_at > $2', [id, now]);
    return rows.length > 0;
  }

  async revoke(id: number, now: number): Promise<void> {
    await this.db.read('UPDATE login_sessions SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [now, id]);
  }

  revokeAllForUser(userId: number, now: number): number[] {
    const { rows } = this.db.query<{ id: number }>('UPDATE login_sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL RETURNING id', [
      now,
      userId,
    ]);
    return rows.map((r) => r.id).sort((a, b) => a - b);
  }
}
