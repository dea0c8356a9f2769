import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, copyFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { build as esbuild } from 'esbuild';
import type { Browser } from 'playwright-core';
import { build as viteBuild } from 'vite';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ARTIFACTS_DIR, describeWithBrowser, launchBrowser } from '../support/browser.js';
import { closeAllSockets, startTestServer, type TestServer } from '../support/harness.js';
import { startHostServer, type HostServer } from '../support/hostPage.js';
import { monitoredInHost } from '../support/pluginHosts.js';

const PLUGIN_DIST = fileURLToPath(new URL('../../agent-client/dist/', import.meta.url));
const REACT_HOST = fileURLToPath(new URL('../../agent-client/examples/react-host/', import.meta.url));
const FAKE_MEDIA = ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', '--autoplay-policy=no-user-gesture-required'];

/** Every file a build wrote, by URL path. */
function filesOf(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      files[`/${path.slice(dir.length).replace(/^\/+/, '')}`] = path;
    }
  }
  return files;
}

/**
 * The built package (`agent-client/dist`, through its package.json exports) bundled the way a host
 * bundles it: the React host example with esbuild and with Vite, each loaded in Chromium from another
 * origin against the real server. The import works when the page runs; the notice renders when a manager
 * monitors; the call's audio worklet is fetched from where each bundler put it.
 */
describeWithBrowser('the plugin package, bundled by a host', () => {
  let server: TestServer;
  let host: HostServer;
  let browser: Browser;
  const outDirs: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(PLUGIN_DIST, 'index.js'))) throw new Error('The plugin package is not built: run "npm run build" (npm test does) first');
    host = await startHostServer();
    server = await startTestServer({ allowedOrigins: [host.origin] });
    browser = await launchBrowser(FAKE_MEDIA);
  });
  afterAll(async () => {
    await browser?.close();
    closeAllSockets();
    await server?.close();
    await host?.close();
    for (const dir of outDirs) rmSync(dir, { recursive: true, force: true });
  });

  function outDir(name: string): string {
    const dir = mkdtempSync(join(tmpdir(), `earshot-${name}-`));
    outDirs.push(dir);
    return dir;
  }

  async function runHost(files: Record<string, string>, team: 'billing' | 'sales', screenshot: string) {
    const context = await browser.newContext({ viewport: { width: 1200, height: 700 } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    host.serve(files);
    await page.goto(`${host.origin}/index.html?earshot=${encodeURIComponent(server.url)}`);
    const manager = await monitoredInHost(page, server, team);
    await page.screenshot({ path: `${ARTIFACTS_DIR}${screenshot}`, animations: 'disabled' });
    // The answered call started the audio: Web Audio loaded the worklet from the host.
    await expect.poll(() => host.served.filter((p) => /media-worklet[^/]*\.js$/.test(p)).length, { timeout: 5000 }).toBe(1);
    expect(host.missing).toEqual([]);
    expect(pageErrors).toEqual([]);
    await context.close();
    return manager;
  }

  it('esbuild: the React host imports the SDK, components, audio and CSS; the notice names the manager', async () => {
    const dir = outDir('esbuild');
    const result = await esbuild({
      entryPoints: [join(REACT_HOST, 'main.tsx')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      jsx: 'automatic',
      define: { 'process.env.NODE_ENV': '"production"' },
      outdir: dir,
      logLevel: 'silent',
    });
    expect(result.errors).toEqual([]);
    // esbuild leaves `new URL('./media-worklet.js', import.meta.url)` as it is: the guide's step for
    // esbuild hosts is to copy the worklet beside the bundle.
    copyFileSync(join(PLUGIN_DIST, 'media-worklet.js'), join(dir, 'media-worklet.js'));
    writeFileSync(
      join(dir, 'index.html'),
      '<!doctype html><meta charset="utf-8"><link rel="stylesheet" href="main.css"><div id="root"></div><script type="module" src="main.js"></script>',
    );
    expect(readFileSync(join(dir, 'main.css'), 'utf8')).toContain('.earshot-notice');

    const manager = await runHost(filesOf(dir), 'billing', 'plugin-esbuild-host.png');
    expect(manager).toBe('Ava Hill');
  }, 60_000);

  it('Vite: the same host as an app build; the worklet is emitted as an asset; the notice names the manager', async () => {
    const dir = outDir('vite');
    await viteBuild({
      root: REACT_HOST,
      configFile: false,
      logLevel: 'silent',
      plugins: [react()],
      build: { outDir: dir, emptyOutDir: true },
    });
    const files = filesOf(dir);
    const worklets = Object.keys(files).filter((p) => /^\/assets\/media-worklet-[\w-]+\.js$/.test(p));
    expect(worklets).toHaveLength(1);
    expect(readFileSync(files[worklets[0]!]!, 'utf8')).toBe(readFileSync(join(PLUGIN_DIST, 'media-worklet.js'), 'utf8'));

    const manager = await runHost(files, 'sales', 'plugin-vite-host.png');
    expect(manager).toBe('Grace Ng');
  }, 60_000);
});
