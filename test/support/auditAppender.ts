/**
 * One node's share of the concurrent-append test: opens the PostgreSQL store at argv[2], waits for "go" on
 * stdin (so every process starts appending together), appends argv[3] records one after another, prints
 * the ids it was given as JSON and exits.
 */
import { openPostgresStore } from '../../server/src/store/postgres/postgresStore.js';

const [url, count, label] = process.argv.slice(2) as [string, string, string];
const { store } = openPostgresStore(url);
process.stdout.write('ready\n');
process.stdin.once('data', () => {
  const ids: number[] = [];
  for (let i = 0; i < Number(count); i++) {
    ids.push(
      store.audit.append({
        at: Date.now(),
        actorId: null,
        actorName: label,
        action: 'test:append',
        targetType: null,
        targetId: String(i),
        outcome: 'ok',
        code: null,
        detail: { node: label, i },
      }).id,
    );
  }
  store.close();
  process.stdout.write(`${JSON.stringify(ids)}\n`);
  process.exit(0);
});
