import { closeSync, constants, fsyncSync, mkdirSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The server will not start: a problem an operator fixes outside it. `main` prints its message as one line
 * and exits 2, before anything is created or listened on.
 */
export class StartupRefusal extends Error {
  override readonly name = 'StartupRefusal';
}

const PROBLEMS: Record<string, string> = {
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a part of the path is not a directory',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EEXIST: 'a file, not a directory, is in the way',
};

function problemOf(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (code && PROBLEMS[code]) return `${code}: ${PROBLEMS[code]}`;
  return e instanceof Error ? e.message : String(e);
}

/**
 * A directory the server must write to, checked by writing: created if missing, then a probe file created,
 * written, synced and removed, and the files it must keep writing opened for writing. Permission bits alone
 * say nothing for root, and a read-only mount shows only when written to; without this check the server
 * would start, then fail every write that follows.
 */
export function requireWritableDirectory(setting: string, dir: string, files: readonly string[] = []): void {
  const where = `${setting} ${resolve(dir)}`;
  try {
    mkdirSync(dir, { recursive: true });
    const probe = join(dir, `.earshot-write-check-${process.pid}`);
    const fd = openSync(probe, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY);
    try {
      writeSync(fd, 'earshot');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
      unlinkSync(probe);
    }
  } catch (e) {
    throw new StartupRefusal(`Earshot cannot start: ${where} is not writable (${problemOf(e)})`);
  }
  for (const file of files) {
    try {
      closeSync(openSync(join(dir, file), constants.O_WRONLY));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new StartupRefusal(`Earshot cannot start: ${join(resolve(dir), file)} in ${setting} is not writable (${problemOf(e)})`);
    }
  }
}
