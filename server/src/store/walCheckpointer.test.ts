import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE } from './openDatabase.js';
import { openSqliteStore } from './sqliteStore.js';

const entry = (n: number) => ({
  actorId: 1,
  actorName: 'Admin',
  action: 'profiles:create',
  targetType: 'profile',
  targetId: String(n),
  outcome: 'ok' as const,
  code: null,
  detail: { name: `profile ${n} ${'x'.repeat(3000)}` },
  at: 1_760_000_000_000 + n,
});

describe('WalCheckpointer', () => {
  it("the server's connection never copies the WAL back; the checkpoint thread does, nothing is lost, and close leaves no file open", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-checkpoint-'));
    const file = join(dir, DATABASE_FILE);
    try {
      // A checkpoint every 2 s: the appends below take a fraction of that, so the first comes after them.
      const { store } = openSqliteStore(dir, 2000);
      const before = statSync(file).size;
      // Some 2,000 pages of WAL: past the thousand at which SQLite would checkpoint inside a commit.
      for (let n = 1; n <= 1500; n++) store.audit.append(entry(n));
      expect(statSync(`${file}-wal`).size).toBeGreaterThan(1000 * 4096);
      expect(statSync(file).size).toBe(before);
      const deadline = Date.now() + 8000;
      // The copy grows the file as it goes: wait for the whole of it, not its first pages.
      while (statSync(file).size <= before + 1000 * 4096 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(statSync(file).size).toBeGreaterThan(before + 1000 * 4096);
      expect(store.audit.head().id).toBe(1500);
      store.close();
      // The thread's connection closed before the server's, which, the last, copied the WAL back and removed it:
      // no file of the store is left open to be written into after `close` returns.
      expect(existsSync(`${file}-wal`)).toBe(false);
      const again = openSqliteStore(dir);
      expect(again.store.audit.head().id).toBe(1500);
      again.store.close();
      expect(existsSync(`${file}-wal`)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 15_000);
});
