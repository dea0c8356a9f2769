/**
 * Audit appends a second with the store's `synchronous` setting as it is (FULL) and as it was (NORMAL), on
 * the disk under the given directory (default: the system's temporary directory). Each append is one
 * transaction, as the server writes them. `node --import tsx test/durability/auditAppendRate.ts [dir] [count]`
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../server/src/store/openDatabase.js';
import { SqliteAuditRepository } from '../../server/src/store/sqliteAudit.js';

const [dirArg, countArg] = process.argv.slice(2);
const count = Number(countArg ?? 2000);

async function rate(mode: 'NORMAL' | 'FULL'): Promise<number> {
  const dir = mkdtempSync(join(dirArg ?? tmpdir(), `earshot-append-${mode.toLowerCase()}-`));
  try {
    const { db } = openDatabase(dir);
    db.pragma(`synchronous = ${mode}`);
    const audit = new SqliteAuditRepository(db);
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
    for (let i = 0; i < 100; i++) await audit.append(entry(i));
    const start = process.hrtime.bigint();
    for (let i = 0; i < count; i++) await audit.append(entry(i));
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    db.close();
    return count / seconds;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows: string[] = [];
for (const round of [1, 2, 3]) {
  for (const mode of ['NORMAL', 'FULL'] as const) rows.push(`round ${round}  synchronous=${mode.padEnd(6)}  ${Math.round(await rate(mode))} appends/s`);
}
console.log(`${count} audit appends, one transaction each, under ${dirArg ?? tmpdir()}\n${rows.join('\n')}`);
