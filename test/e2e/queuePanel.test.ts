import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_PASSWORD, type ServerConfig } from '../../server/src/app.js';
import { describeWithBrowser, launchBrowser } from '../support/browser.js';
import { closeAllSockets, startTestServer, type TestServer } from '../support/harness.js';
import { horizontalFit, screenshot, seriousAxeViolations, VIEWPORTS, type ViewportName } from '../support/pageChecks.js';

const BUILT_APP = fileURLToPath(new URL('../../supervisor-client/dist/index.html', import.meta.url));

describeWithBrowser('queue panel beside the board (Chromium, built app, real server)', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(BUILT_APP)) throw new Error(`${BUILT_APP} is missing: run "npm run build" first (npm test does)`);
    // The simulator drives no agent: callers wait in the queues until someone takes them.
    server = await startTestServer({ simulator: { agents: 0 } as ServerConfig['simulator'] });
    browser = await launchBrowser();
    server.simulator!.placeCall({ queue: 'Billing' });
    server.clock.advance(25_000);
    server.simulator!.placeCall({ queue: 'Billing' });
    server.simulator!.placeCall({ queue: 'Sales' });
    server.clock.advance(3_000);
  });

  afterAll(async () => {
    await browser?.close();
    closeAllSockets();
    await server?.close();
  });

  async function openBoard(username: string, viewport: ViewportName): Promise<Page> {
    const context = await browser.newContext({ viewport: VIEWPORTS[viewport] });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('region', { name: 'Queues' }).waitFor();
    return page;
  }

  const queueCard = (page: Page, queue: string) =>
    page
      .getByRole('region', { name: 'Queues' })
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { name: queue, exact: true }) });

  for (const viewport of ['desktop', 'phone'] as const) {
    it(`${viewport}: an administrator sees every queue; Billing, with a caller waiting 28 s, stands out and its longest wait ticks`, async () => {
      const page = await openBoard('admin', viewport);
      const panel = page.getByRole('region', { name: 'Queues' });
      expect(await panel.getByRole('heading', { level: 3 }).allTextContents()).toEqual(['Billing', 'Sales', 'Support']);
      const billing = queueCard(page, 'Billing');
      expect(await billing.locator('.queue-waiting').textContent()).toBe('2');
      expect(await billing.locator('.queue-flag').textContent()).toBe('Waiting over 20 s');
      expect(await queueCard(page, 'Sales').locator('.queue-flag').count()).toBe(0);
      expect(await queueCard(page, 'Sales').locator('.queue-waiting').textContent()).toBe('1');
      expect(await panel.getByRole('status').textContent()).toBe('1 over the wait threshold');
      // Billing's team: six agents, all logged out; Support: no caller yet, so no service level.
      expect(await billing.getByRole('list', { name: 'Billing agents by state' }).textContent()).toBe('6 Logged out');
      expect(await queueCard(page, 'Support').locator('.queue-sl-today').textContent()).toBe('–');

      const first = await billing.locator('.queue-longest').textContent();
      expect(first).toMatch(/^0:2[89]$/);
      await page.waitForFunction((before) => document.querySelector('.queue-over .queue-longest')?.textContent !== before, first, { timeout: 3000 });
      const fit = await horizontalFit(page);
      expect(fit.scrollWidth).toBeLessThanOrEqual(fit.innerWidth);
      if (viewport === 'phone') {
        await screenshot(page, 'board-phone');
        await panel.scrollIntoViewIfNeeded();
      }
      await screenshot(page, `queues-${viewport}`);
      expect(await seriousAxeViolations(page)).toEqual([]);
      await page.context().close();
    }, 60_000);
  }

  it('a manager sees the queue of his team only; a caller answered late lowers the service level live', async () => {
    const page = await openBoard('manager.sales', 'desktop');
    const panel = page.getByRole('region', { name: 'Queues' });
    expect(await panel.getByRole('heading', { level: 3 }).allTextContents()).toEqual(['Sales']);
    expect(await queueCard(page, 'Sales').locator('.queue-sl-today').textContent()).toBe('–');
    // The Sales caller (waiting 3 s) gives up at 120 s: abandoned, and the service level of today is 0 %.
    server.clock.advance(120_000);
    server.simulator!.tick();
    await page.waitForFunction(() => document.querySelector('.queue-abandoned')?.textContent === '1 / 1');
    expect(await queueCard(page, 'Sales').locator('.queue-sl-today').textContent()).toBe('0 %');
    expect(await queueCard(page, 'Sales').locator('.queue-waiting').textContent()).toBe('0');
    await page.context().close();
  }, 60_000);
});
