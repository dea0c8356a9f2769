import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../server/src/app.js';
import { describeWithBrowser, launchBrowser } from '../support/browser.js';
import { closeAllSockets, connectAs, ok, startTestServer, type TestServer } from '../support/harness.js';
import { horizontalFit, screenshot, VIEWPORTS, type ViewportName } from '../support/pageChecks.js';

describeWithBrowser('the board lists people who take calls (Chromium, built app, real server)', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
    // One person in the desktop agent is available; everyone else is logged out.
    const agent = await connectAs(server.url, 'agent.billing');
    await ok(agent.socket, 'agent:attach', {});
    await ok(agent.socket, 'agent:status', { status: 'available' });
  });
  afterAll(async () => {
    await browser?.close();
    closeAllSockets();
    await server?.close();
  });

  const rowNames = (page: Page) => page.locator('.board-table tbody th[scope=row] .agent-name').allTextContents();

  for (const viewport of ['desktop', 'phone'] as const satisfies readonly ViewportName[]) {
    it(`${viewport}: an administrator in no team, logged out, is not on the board; "Hide logged out" is remembered for this user`, async () => {
      const context = await browser.newContext({ viewport: VIEWPORTS[viewport] });
      const page = await context.newPage();
      await page.goto(server.url);
      await page.getByLabel('Username').fill('admin');
      await page.getByLabel('Password').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByText('20 agents in your scope').waitFor();
      // 18 team agents and the Privileged User; not the Administrator himself.
      expect(await rowNames(page)).toHaveLength(19);
      expect(await rowNames(page)).not.toContain('Alex Admin');

      await page.getByLabel('Hide logged out').check();
      expect(await rowNames(page)).toHaveLength(1);
      await page.reload();
      await page.getByText('20 agents in your scope').waitFor();
      expect(await page.getByLabel('Hide logged out').isChecked()).toBe(true);
      expect(await rowNames(page)).toHaveLength(1);
      const fit = await horizontalFit(page);
      expect(fit.scrollWidth).toBeLessThanOrEqual(fit.innerWidth);
      await screenshot(page, `board-hide-logged-out-${viewport}`);
      await page.getByLabel('Hide logged out').uncheck();
      expect(await rowNames(page)).toHaveLength(19);
      await context.close();
    }, 60_000);
  }
});
