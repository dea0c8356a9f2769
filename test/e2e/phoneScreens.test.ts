import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../server/src/app.js';
import { describeWithBrowser, launchBrowser } from '../support/browser.js';
import { closeAllSockets, startTestServer, userId, type TestServer } from '../support/harness.js';
import { horizontalFit, screenshot, VIEWPORTS } from '../support/pageChecks.js';

const AGENT_APP = fileURLToPath(new URL('../../agent-client/demo-dist/index.html', import.meta.url));
const SUPERVISOR_APP = fileURLToPath(new URL('../../supervisor-client/dist/index.html', import.meta.url));

/** The laptop and the upright phone every page is tried at, and the narrowest phone the apps are made for. */
const SCREENS = { ...VIEWPORTS, narrow: { width: 360, height: 740 } } as const;
type Screen = keyof typeof SCREENS;

describeWithBrowser('phone-sized screens: both apps at 360 px and up (Chromium, built apps, real server)', () => {
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

  async function signIn(path: string, username: string, screen: Screen): Promise<Page> {
    const page = await (await browser.newContext({ viewport: SCREENS[screen] })).newPage();
    await page.goto(`${server.url}${path}`);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    return page;
  }

  const fits = async (page: Page) => {
    const fit = await horizontalFit(page);
    expect(fit.scrollWidth).toBeLessThanOrEqual(fit.innerWidth);
  };

  /** Every one of these elements lies within the viewport's width (nothing cut off at the right edge). */
  async function withinWidth(page: Page, items: Locator): Promise<void> {
    const width = page.viewportSize()!.width;
    const boxes = await items.evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => ({ left: r.left, right: r.right })));
    expect(boxes.length).toBeGreaterThan(0);
    for (const box of boxes) {
      expect(box.left).toBeGreaterThanOrEqual(0);
      expect(box.right).toBeLessThanOrEqual(width);
    }
  }

  const cases = [['desktop', 'billing'], ['phone', 'sales'], ['narrow', 'support']] as const;
  for (const [screen, team] of cases) {
    it(`${screen}: the agent desk on a call fits; the board is a table on a laptop and cards on a phone, its tiles wrap; the help alert and the session dock stay usable`, async () => {
      const agent = `agent.${team}`;
      const desk = await signIn('/agent', agent, screen);
      await desk.getByRole('button', { name: 'Go available' }).click();
      await desk.getByRole('heading', { name: 'Waiting for a call' }).waitFor();
      const agentId = await userId(server, agent);
      server.simulator!.placeCall({ toUserId: agentId });
      server.simulator!.tick();
      await desk.getByRole('button', { name: 'Answer' }).click();
      await desk.getByRole('heading', { name: 'On a call' }).waitFor();
      await withinWidth(desk, desk.getByRole('button'));
      await withinWidth(desk, desk.getByRole('textbox'));
      await fits(desk);
      await screenshot(desk, `phone-screens-desk-${screen}`);

      const help = desk.getByRole('complementary', { name: 'Help and settings' });
      await help.getByLabel('Message for your supervisor (optional)').fill('The caller asks for a manager by name, and a long one: Bartholomew-Fitzgerald-Montgomery');
      await help.getByRole('button', { name: 'Ask for help' }).click();
      await help.getByRole('button', { name: 'Cancel help request' }).waitFor();
      const page = await signIn('/', `manager.${team}`, screen);
      await page.getByRole('heading', { level: 1, name: 'Live board' }).waitFor();
      const agentName = server.floor.directory.name(agentId);
      const firstRow = page.locator('.board-table tbody tr').filter({ has: page.getByRole('button', { name: agentName, exact: true }) });
      await firstRow.waitFor();
      expect(await firstRow.evaluate((tr) => getComputedStyle(tr).display)).toBe(screen === 'desktop' ? 'table-row' : 'grid');
      await withinWidth(page, page.locator('.state-tile'));
      const tileRows = new Set(await page.locator('.state-tile').evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top))));
      expect(tileRows.size).toBe(screen === 'desktop' ? 1 : 2);

      const alert = page.getByRole('region', { name: 'Help requests' }).getByRole('alert');
      await alert.waitFor();
      await withinWidth(page, alert.getByRole('button'));
      await fits(page);
      await screenshot(page, `phone-screens-board-${screen}`);
      await alert.getByRole('button', { name: /^Acknowledge/ }).click();
      await page.getByRole('region', { name: 'Help you are giving' }).waitFor();

      await page.getByRole('button', { name: agentName, exact: true }).click();
      const panel = page.getByRole('complementary', { name: `Agent ${agentName}` });
      await panel.getByRole('button', { name: 'Monitor' }).click();
      const card = page.getByRole('region', { name: 'Your supervision sessions' }).getByRole('article', { name: `Session with ${agentName}` });
      await card.waitFor();
      await withinWidth(page, card.getByRole('button'));
      await card.getByRole('group', { name: 'Switch mode' }).getByRole('button', { name: 'Coach' }).click();
      await card.getByTestId('session-mode').filter({ hasText: 'Coach' }).waitFor();
      await fits(page);
      await screenshot(page, `phone-screens-dock-${screen}`);
      await desk.getByRole('region', { name: 'Supervision of your call' }).getByText(/is coaching you/).first().waitFor();
      await fits(desk);
      await screenshot(desk, `phone-screens-desk-coached-${screen}`);
      await page.context().close();
      await desk.context().close();
    }, 90_000);
  }
});
