import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { SETTINGS } from '../../server/src/config.js';

const run = promisify(execFile);
const MAIN = join(import.meta.dirname, '../../server/dist/main.js');
const dir = mkdtempSync(join(tmpdir(), 'earshot-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function start(args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run(process.execPath, [MAIN, ...args], { env: { PATH: process.env.PATH, ...env }, cwd: dir, timeout: 15_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('starting with the configuration', () => {
  it('a bad value: every problem on stderr, exit 2, and nothing created (no data directory)', async () => {
    const dataDir = join(dir, 'never-created');
    const result = await start([], { DATA_DIR: dataDir, PORT: '-1', SIM_AGENTS: 'many', LOG_LEVEL: 'verbose' });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      [
        'Invalid configuration:',
        '  PORT="-1": must be a whole number of at least 0',
        '  LOG_LEVEL="verbose": must be silent, error, warn, info or debug',
        '  SIM_AGENTS="many": must be a whole number of at least 0',
        '',
      ].join('\n'),
    );
    expect(result.stdout).toBe('');
    expect(existsSync(dataDir)).toBe(false);
  });

  it('--help lists every setting with its default and meaning, and starts nothing', async () => {
    const result = await start(['--help'], { DATA_DIR: join(dir, 'not-for-help') });
    expect(result.code).toBe(0);
    for (const [name, s] of Object.entries(SETTINGS)) {
      expect(result.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
      expect(result.stdout).toContain(s.description.replace(/`/g, ''));
    }
    expect(result.stdout).toMatch(/^ {2}PORT +3000$/m);
    expect(existsSync(join(dir, 'not-for-help'))).toBe(false);
  });
});
