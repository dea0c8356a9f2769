/**
 * What an acknowledged audit record costs on the disk under the given directory (default: the system's
 * temporary directory): audit appends a second, each one transaction as the server writes them, synced the
 * way the store does it (`synchronous = NORMAL`, then `Store.durable()` awaited as an action's answer awaits
 * it: one writer at a time, then 16 at once, whose syncs are shared), and the way it was done before (each
 * commit synced inside itself, `synchronous = FULL`, on the event loop).
 * `node --import tsx test/durability/auditAppendRate.ts [dir] [count]`
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../server/src/store/openDatabase.js';
import { createSqliteStore } from '../../server/src/store/sqliteStore.js';

const [dirArg, countArg] = process.argv.slice(2);
const count = Number(countArg ?? 2000);

type Mode = 'FULL, in the commit' | 'NORMAL + durable(), 1 writer' | 'NORMAL + durable(), 16 writers';
const MODES: Mode[] = ['FULL, in the commit', 'NORMAL + durable(), 1 writer', 'NORMAL + durable(), 16 writers'];

async function rate(mode: Mode): Promise<number> {
  const dir = mkdtempSync(join(dirArg ?? tmpdir(), 'earshot-append-'));
  try {
    const { db } = openDatabase(dir);
    if (mode === 'FULL, in the commit') db.pragma('synchronous = FULL');
    const store = createSqliteStore(db);
    const entry = (i: number) => ({
      at: Date.now(),
      actorId: 1,
      actorName: 'Alex Admin',
      action: 'supervise:start',
      targetType: 'user',
      targetId: String(i),
      outcome: 'ok' as const,
      code: null,
      detail: { mode: 'monitor', sessionId: `sup-${i}` },
    });
    const acknowledged = async (i: number) => {
      store.audit.append(entry(i));
      if (mode !== 'FULL, in the commit') await store.durable();
    };
    for (let i = 0; i < 100; i++) await acknowledged(i);
    const writers = mode === 'NORMAL + durable(), 16 writers' ? 16 : 1;
    let next = 0;
    const start = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: writers }, async () => {
        while (next < count) await acknowledged(next++);
      }),
    );
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    store.close();
    return count / seconds;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows: string[] = [];
for (const round of [1, 2, 3]) {
  for (const mode of MODES) rows.push(`round ${round}  ${mode.padEnd(30)}  ${Math.round(await rate(mode))} acknowledged appends/s`);
}
console.log(`${count} audit appends, one transaction each, under ${dirArg ?? tmpdir()}\n${rows.join('\n')}`);
