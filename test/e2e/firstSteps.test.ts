import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../server/src/app.js';
import { describeWithBrowser, launchBrowser } from '../support/browser.js';
import { closeAllSockets, startTestServer, type TestServer } from '../support/harness.js';
import { horizontalFit, screenshot, seriousAxeViolations, VIEWPORTS } from '../support/pageChecks.js';

const AGENT_APP = fileURLToPath(new URL('../../agent-client/demo-dist/index.html', import.meta.url));
const SUPERVISOR_APP = fileURLToPath(new URL('../../supervisor-client/dist/index.html', import.meta.url));

describeWithBrowser('first steps: an agent who opens the supervisor app (Chromium, built apps, real server)', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    for (const app of [AGENT_APP, SUPERVISOR_APP]) if (!existsSync(app)) throw new Error(`${app} is missing: run "npm run build" first (npm test does)`);
    server = await startTestServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    closeAllSockets();
    await server?.close();
  });

  for (const viewport of ['desktop', 'phone'] as const) {
    it(`${viewport}: is shown the way to the desktop agent, not an empty board, and the link opens it`, async () => {
      const page = await (await browser.newContext({ viewport: VIEWPORTS[viewport] })).newPage();
      await page.goto(server.url);
      await page.getByLabel('Username').fill('agent.support');
      await page.getByLabel('Password').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { level: 1, name: 'You take calls in the desktop agent' }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/desktop-agent');
      expect(await page.title()).toBe('Desktop agent · Earshot');
      expect(await page.locator('.board-table').count()).toBe(0);
      const link = page.getByRole('link', { name: 'Open the desktop agent' });
      expect(await link.getAttribute('href')).toBe('/agent/');
      const fit = await horizontalFit(page);
      expect(fit.scrollWidth).toBeLessThanOrEqual(fit.innerWidth);
      expect(await seriousAxeViolations(page)).toEqual([]);
      await screenshot(page, `first-steps-agent-pointed-${viewport}`);

      await link.click();
      await page.getByRole('heading', { level: 1, name: 'Sign in to take calls' }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/agent/');
      await page.context().close();
    }, 60_000);
  }

  it('a Manager lands on the Live board, with no desktop-agent page in the menu', async () => {
    const page = await (await browser.newContext({ viewport: VIEWPORTS.desktop })).newPage();
    await page.goto(server.url);
    await page.getByLabel('Username').fill('manager.support');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Live board' }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Pages' }).getByRole('link').allTextContents()).toEqual(['Live board', 'Recordings', 'Alerts']);
    await page.context().close();
  }, 60_000);
});
