/**
 * `npm run bench -- --store [--appends N]`: what one write costs the event loop on each store. Each store
 * takes N audit appends (one transaction each, committed to disk: SQLite with synchronous=FULL, PostgreSQL
 * with its default synchronous_commit), then N actions' transactions of two writes and their audit record
 * (a user's display name and a supervision row, as an action's writes are). Prints p50/p90/p99 per store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openPostgresStore } from '../../server/src/store/postgres/postgresStore.js';
import type { Store } from '../../server/src/store/repositories.js';
import { openSqliteStore } from '../../server/src/store/sqliteStore.js';
import { createTestDatabase, postgresAvailable } from '../support/postgres.js';
import { LatencyHistogram } from './latencyHistogram.js';

const entry = (i: number) => ({
  at: Date.now(),
  actorId: 1,
  actorName: 'Bench',
  action: 'users:update',
  targetType: 'user',
  targetId: String(i),
  outcome: 'ok' as const,
  code: null,
  detail: { displayName: `User ${i}` },
});

function measure(store: Store, appends: number): { append: LatencyHistogram; action: LatencyHistogram } {
  const p = store.profiles.create({ name: 'Bench', rights: [], scope: 'own' }, 1);
  const u = store.users.create({ username: 'bench', displayName: 'Bench', passwordHash: 'x', profileId: p.id, memberOf: [], supervises: [] }, 1);
  const append = new LatencyHistogram();
  const action = new LatencyHistogram();
  for (let i = 0; i < appends; i++) {
    const t0 = performance.now();
    store.audit.append(entry(i));
    append.add((performance.now() - t0) * 1000);
  }
  for (let i = 0; i < appends; i++) {
    const t0 = performance.now();
    store.transaction(() => {
      store.users.update(u.id, { displayName: `Bench ${i}` });
      store.supervisions.modeChanged('none', 'monitor', i);
      store.audit.append(entry(i));
    });
    action.add((performance.now() - t0) * 1000);
  }
  return { append, action };
}

export async function runStoreBench(appends: number): Promise<void> {
  const rows: string[] = [];
  const row = (name: string, what: string, h: LatencyHistogram) => {
    const s = h.summary();
    rows.push(`| ${name} | ${what} | ${s.count} | ${s.p50Ms.toFixed(3)} | ${s.p90Ms.toFixed(3)} | ${s.p99Ms.toFixed(3)} | ${s.maxMs.toFixed(3)} |`);
  };
  const dir = mkdtempSync(join(tmpdir(), 'earshot-store-bench-'));
  try {
    const { store } = openSqliteStore(dir);
    const r = measure(store, appends);
    store.close();
    row('SQLite (WAL, synchronous=FULL)', 'audit append', r.append);
    row('SQLite (WAL, synchronous=FULL)', 'action: 2 writes + audit', r.action);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (await postgresAvailable()) {
    const database = await createTestDatabase();
    try {
      const { store } = openPostgresStore(database.url);
      const r = measure(store, appends);
      store.close();
      row('PostgreSQL (127.0.0.1, synchronous connection)', 'audit append', r.append);
      row('PostgreSQL (127.0.0.1, synchronous connection)', 'action: 2 writes + audit', r.action);
    } finally {
      await database.drop();
    }
  }
  console.log(['| store | write | count | p50 ms | p90 ms | p99 ms | max ms |', '|---|---|---|---|---|---|---|', ...rows].join('\n'));
}
