import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ConfigError, loadConfig } from './config.js';
import { DATABASE_FILE } from './store/openDatabase.js';
import { createSqliteStore } from './store/sqliteStore.js';
import { verifyAuditChain } from './store/auditChain.js';

/** `node server/dist/cli.js audit:verify [dataDir]`: exit 0 and "intact", or exit 1 naming the first broken link. */
function auditVerify(dataDir: string): number {
  const file = join(dataDir, DATABASE_FILE);
  if (!existsSync(file)) {
    console.error(`No store at ${file}`);
    return 2;
  }
  const store = createSqliteStore(new Database(file, { readonly: true, fileMustExist: true }));
  try {
    const verdict = verifyAuditChain(store.audit.scan());
    if (verdict.intact) {
      console.log(`audit log intact: ${verdict.count} records, head ${verdict.head.slice(0, 16)}`);
      return 0;
    }
    console.log(`audit log BROKEN at record ${verdict.brokenAt}: ${verdict.reason} (${verdict.count} records verified before it)`);
    return 1;
  } finally {
    store.close();
  }
}

const [command, dir] = process.argv.slice(2);
switch (command) {
  case 'audit:verify':
    try {
      process.exitCode = auditVerify(dir ?? loadConfig().dataDir);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      console.error(e.message);
      process.exitCode = 2;
    }
    break;
  default:
    console.error('usage: cli.js audit:verify [dataDir]');
    process.exitCode = 2;
}
