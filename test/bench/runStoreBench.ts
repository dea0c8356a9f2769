/**
 * `npm run bench -- --store [--appends N] [--spacing MS]`: what one write costs the event loop on each store.
 * Each store takes N audit appends (one transaction each, committed: SQLite to its WAL with synchronous =
 * NORMAL, its sync left to `durable()` off the event loop; PostgreSQL with its default synchronous_commit),
 * then N actions' transactions of two writes and their audit record (a user's display name and a supervision
 * row, as an action's writes are), then a supervision start's transaction (its row and its record: what an
 * agent's notice waits for) back to back and, as starts come at the live-floor bench's full target, one
 * every MS ms (50). Prints p50/p90/p99 per store and write.
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

/** A supervision start's writes, as `supervise:start` makes them in its transaction. */
function supervisionStart(store: Store, i: number): void {
  const now = Date.now();
  const sessionId = `bench-${i}`;
  store.supervisions.opened({
    sessionId,
    callId: `call-${i}`,
    agentId: 2,
    supervisor: { id: 1, name: 'Bench' },
    mode: 'monitor',
    startedAt: now,
    modeSince: now,
    nodeId: null,
  });
  store.audit.append({ ...entry(i), action: 'supervise:start', detail: { sessionId, mode: 'monitor', input: { agentId: 2, mode: 'monitor' } } });
}

interface StoreCosts {
  append: LatencyHistogram;
  action: LatencyHistogram;
  startBackToBack: LatencyHistogram;
  startSpaced: LatencyHistogram;
}

async function measure(store: Store, appends: number, spacingMs: number): Promise<StoreCosts> {
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
  // The same transaction back to back, then spaced as supervision starts come: far apart, a commit costs the
  // event loop several times more (its system calls too), and that is the cost an agent's notice waits for.
  const time = (h: LatencyHistogram, i: number) => {
    const t0 = performance.now();
    store.transaction(() => supervisionStart(store, i));
    h.add((performance.now() - t0) * 1000);
  };
  const startBackToBack = new LatencyHistogram();
  for (let i = 0; i < appends; i++) time(startBackToBack, i);
  const startSpaced = new LatencyHistogram();
  for (let i = 0; i < Math.min(appends, SPACED_STARTS); i++) {
    await sleep(spacingMs);
    time(startSpaced, appends + i);
  }
  return { append, action, startBackToBack, startSpaced };
}

/** Spaced starts measured at most: 200 at 50 ms is 10 s a store. */
const SPACED_STARTS = 200;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `--appends N` and `--spacing MS` of the bench's arguments; anything else after `--store` is refused. */
export function storeBenchFlags(argv: readonly string[]): { appends: number; spacingMs: number } {
  const flags = { appends: 1000, spacingMs: 50 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--store') continue;
    const value = Number(argv[i + 1]);
    if (flag === '--appends' && Number.isInteger(value) && value > 0) flags.appends = value;
    else if (flag === '--spacing' && Number.isFinite(value) && value >= 0) flags.spacingMs = value;
    else throw new Error(`npm run bench -- --store [--appends N (a whole number above 0)] [--spacing MS (0 or more)]: not ${flag} ${argv[i + 1] ?? ''}`.trim());
    i++;
  }
  return flags;
}

export async function runStoreBench({ appends, spacingMs }: { appends: number; spacingMs: number }): Promise<void> {
  const rows: string[] = [];
  const row = (name: string, what: string, h: LatencyHistogram) => {
    const s = h.summary();
    rows.push(`| ${name} | ${what} | ${s.count} | ${s.p50Ms.toFixed(3)} | ${s.p90Ms.toFixed(3)} | ${s.p99Ms.toFixed(3)} | ${s.maxMs.toFixed(3)} |`);
  };
  const rowsOf = (name: string, r: StoreCosts) => {
    row(name, 'audit append', r.append);
    row(name, 'action: 2 writes + audit', r.action);
    row(name, 'supervision start (row + audit), back to back', r.startBackToBack);
    row(name, `supervision start (row + audit), one every ${spacingMs} ms`, r.startSpaced);
  };
  const dir = mkdtempSync(join(tmpdir(), 'earshot-store-bench-'));
  try {
    const { store } = openSqliteStore(dir);
    const r = await measure(store, appends, spacingMs);
    store.close();
    rowsOf('SQLite (WAL, synchronous=NORMAL)', r);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (await postgresAvailable()) {
    const database = await createTestDatabase();
    try {
      const { store } = openPostgresStore(database.url);
      const r = await measure(store, appends, spacingMs);
      store.close();
      rowsOf('PostgreSQL (127.0.0.1, synchronous connection)', r);
    } finally {
      await database.drop();
    }
  }
  console.log(['| store | write | count | p50 ms | p90 ms | p99 ms | max ms |', '|---|---|---|---|---|---|---|', ...rows].join('\n'));
}
