import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, StartupRefusal, testConfig } from '../../server/src/app.js';
import { DATABASE_FILE } from '../../server/src/store/openDatabase.js';

const MAIN = join(import.meta.dirname, '../../server/dist/main.js');
const root = mkdtempSync(join(tmpdir(), 'earshot-startup-'));

/**
 * Tests run as root, for whom permission bits stop no write: a read-only file system is what really
 * refuses. A tmpfs mounted here, filled while writable, then remounted read-only.
 */
const readOnly = join(root, 'read-only');
mkdirSync(readOnly);
function mount(...args: string[]): void {
  execFileSync('mount', args, { stdio: 'pipe' });
}
let mounted = false;
try {
  mount('-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', readOnly);
  mounted = true;
} catch (e) {
  if (process.env.CI) throw new Error(`a read-only file system is needed: mount failed (run as root with CAP_SYS_ADMIN): ${String(e)}`);
  console.warn('startupRefusal: mount is not permitted here (run the tests as root to cover a read-only file system); those cases skip');
}

beforeAll(async () => {
  if (!mounted) return;
  // A data directory that held a store, as after a normal run; then the file system turns read-only.
  const server = await startServer(testConfig({ dataDir: join(readOnly, 'data'), recordingsDir: join(readOnly, 'recordings'), demo: true }));
  await server.close();
  mount('-o', 'remount,ro', readOnly);
});
afterAll(() => {
  if (mounted) execFileSync('umount', ['-l', readOnly]);
  rmSync(root, { recursive: true, force: true });
});

/** `npm start`'s server, as an operator starts it. */
function start(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [MAIN],
      { env: { PATH: process.env.PATH, PORT: '0', SIM_ENABLED: 'off', LOG_LEVEL: 'silent', ...env }, timeout: 15_000 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr }),
    );
  });
}

describe('a data or recordings directory the server cannot write refuses the start', () => {
  it.skipIf(!mounted)('DATA_DIR on a read-only file system: one line naming it and the problem, exit 2', async () => {
    expect(existsSync(join(readOnly, 'data', DATABASE_FILE))).toBe(true);
    const r = await start({ DATA_DIR: join(readOnly, 'data') });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`Earshot cannot start: DATA_DIR ${join(readOnly, 'data')} is not writable (EROFS: read-only file system)\n`);
  });

  it.skipIf(!mounted)('RECORDINGS_DIR on a read-only file system, DATA_DIR writable: one line naming RECORDINGS_DIR, exit 2', async () => {
    const dataDir = join(root, 'fresh-data');
    const r = await start({ DATA_DIR: dataDir, RECORDINGS_DIR: join(readOnly, 'recordings') });
    expect(r.stderr).toBe(`Earshot cannot start: RECORDINGS_DIR ${join(readOnly, 'recordings')} is not writable (EROFS: read-only file system)\n`);
    expect(r.code).toBe(2);
    // Refused before anything was created.
    expect(existsSync(join(dataDir, DATABASE_FILE))).toBe(false);
  });

  it('DATA_DIR below a regular file: one line naming it and the problem, exit 2', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'not a directory');
    const r = await start({ DATA_DIR: join(file, 'data') });
    expect(r.stderr).toBe(`Earshot cannot start: DATA_DIR ${join(file, 'data')} is not writable (ENOTDIR: a part of the path is not a directory)\n`);
    expect(r.code).toBe(2);
  });

  it('startServer itself refuses with a StartupRefusal, before it opens the store', async () => {
    const file = join(root, 'another-file');
    writeFileSync(file, '');
    await expect(startServer(testConfig({ dataDir: join(root, 'ok-data'), recordingsDir: join(file, 'rec') }))).rejects.toThrow(StartupRefusal);
    expect(existsSync(join(root, 'ok-data', DATABASE_FILE))).toBe(false);
  });
});
