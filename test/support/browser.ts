import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { describe, it } from 'vitest';

/** Debian's chromium (`apt-get install chromium`); never a downloaded browser. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const browserAvailable = existsSync(CHROMIUM_PATH);

/** Screenshots and other artifacts of the browser tests (git-ignored). */
export const ARTIFACTS_DIR = fileURLToPath(new URL('../artifacts/', import.meta.url));

/**
 * A describe block that needs Chromium. In CI (CI=true) a missing browser fails the run; on a developer's
 * machine the block is skipped with a message saying how to install it.
 */
export function describeWithBrowser(name: string, body: () => void): void {
  if (browserAvailable) {
    describe(name, body);
  } else if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs Chromium', () => {
        throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install it with "apt-get install -y chromium" (or set CHROMIUM_PATH)`);
      });
    });
  } else {
    console.warn(`Skipping "${name}": Chromium not found at ${CHROMIUM_PATH}. Install it with: apt-get install -y chromium`);
    describe.skip(name, body);
  }
}

/** Headless Chromium as this machine runs it: no sandbox as root, no background network. */
export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      ...extraArgs,
    ],
  });
}
