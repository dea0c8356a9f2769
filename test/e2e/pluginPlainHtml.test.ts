import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ARTIFACTS_DIR, describeWithBrowser, launchBrowser } from '../support/browser.js';
import { closeAllSockets, startTestServer, type TestServer } from '../support/harness.js';
import { startHostServer, type HostServer } from '../support/hostPage.js';
import { monitoredInHost } from '../support/pluginHosts.js';

const file = (path: string) => fileURLToPath(new URL(`../../agent-client/${path}`, import.meta.url));
const FAKE_MEDIA = ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', '--autoplay-policy=no-user-gesture-required'];

/**
 * The embedding guide's plain HTML host (agent-client/examples/plain-html): no bundler, no React of its
 * own, the one script `earshot-agent.js` and `<earshot-agent-panel>`, served from another origin that
 * the real server allows (ALLOWED_ORIGINS).
 */
describeWithBrowser('the plain HTML host', () => {
  let server: TestServer;
  let host: HostServer;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(file('dist/earshot-agent.js'))) throw new Error('The plugin package is not built: run "npm run build" (npm test does) first');
    host = await startHostServer();
    server = await startTestServer({ allowedOrigins: [host.origin] });
    browser = await launchBrowser(FAKE_MEDIA);
  });
  afterAll(async () => {
    await browser?.close();
    closeAllSockets();
    await server?.close();
    await host?.close();
  });

  it('shows the live notice naming the manager who monitors; the worklet comes from beside the script', async () => {
    const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    host.serve({
      '/index.html': file('examples/plain-html/index.html'),
      '/earshot-agent.js': file('dist/earshot-agent.js'),
      '/media-worklet.js': file('dist/media-worklet.js'),
    });
    await page.goto(`${host.origin}/index.html?earshot=${encodeURIComponent(server.url)}`);
    expect(await page.evaluate(() => customElements.get('earshot-agent-notice') !== undefined)).toBe(true);

    const manager = await monitoredInHost(page, server, 'billing');
    expect(manager).toBe('Ava Hill');
    const panel = page.locator('earshot-agent-panel');
    expect(await panel.locator('.earshot-notice__text').textContent()).toBe('Ava Hill is listening to your call');
    expect(await panel.locator('.earshot-notice__mode').textContent()).toBe('Monitoring');
    // The one script brought its styles: the announcements are visually hidden, the card has its mode's colour.
    expect(await panel.locator('[aria-live="polite"]').evaluate((e) => getComputedStyle(e).position)).toBe('absolute');
    expect(await panel.locator('.earshot-notice').evaluate((e) => getComputedStyle(e).getPropertyValue('--earshot-monitor').trim())).toBe('#1d4ed8');
    // The recording indicator and the help button render in the same panel.
    await panel.getByRole('group', { name: 'Call recording' }).waitFor();
    await panel.getByRole('button', { name: 'Ask for help' }).waitFor();
    await page.screenshot({ path: `${ARTIFACTS_DIR}plugin-plain-html-host.png`, animations: 'disabled' });

    await expect.poll(() => host.served.includes('/media-worklet.js'), { timeout: 5000 }).toBe(true);
    expect(host.missing).toEqual([]);
    expect(pageErrors).toEqual([]);
    await context.close();
  }, 60_000);
});
