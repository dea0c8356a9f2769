import type { Locator, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeWithBrowser } from '../support/browser.js';
import { builtAppsInBrowser, expectFitsViewport } from '../support/builtApps.js';
import { userId } from '../support/harness.js';
import { screenshot, VIEWPORTS } from '../support/pageChecks.js';

/** The laptop and the upright phone every page is tried at, and the narrowest phone the apps are made for. */
const SCREENS = { ...VIEWPORTS, narrow: { width: 360, height: 740 } } as const;
type Screen = keyof typeof SCREENS;

describeWithBrowser('phone-sized screens: both apps at 360 px and up (Chromium, built apps, real server)', () => {
  const apps = builtAppsInBrowser();

  const signIn = (path: string, username: string, screen: Screen) => apps.signIn(path, username, SCREENS[screen]);

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

  const cases = [
    ['desktop', 'billing'],
    ['phone', 'sales'],
    ['narrow', 'support'],
  ] as const;
  for (const [screen, team] of cases) {
    it(`${screen}: the agent desk on a call fits; the board is a table on a laptop and cards on a phone, its tiles wrap; the help alert and the session dock stay usable`, async () => {
      const agent = `agent.${team}`;
      const desk = await signIn('/agent', agent, screen);
      await desk.getByRole('button', { name: 'Go available' }).click();
      await desk.getByRole('heading', { name: 'Waiting for a call' }).waitFor();
      const agentId = await userId(apps.server, agent);
      apps.server.simulator!.placeCall({ toUserId: agentId });
      apps.server.simulator!.tick();
      await desk.getByRole('button', { name: 'Answer' }).click();
      await desk.getByRole('heading', { name: 'On a call' }).waitFor();
      await withinWidth(desk, desk.getByRole('button'));
      await withinWidth(desk, desk.getByRole('textbox'));
      await expectFitsViewport(desk);
      await screenshot(desk, `phone-screens-desk-${screen}`);

      const help = desk.getByRole('complementary', { name: 'Help and settings' });
      await help
        .getByLabel('Message for your supervisor (optional)')
        .fill('The caller asks for a manager by name, and a long one: Bartholomew-Fitzgerald-Montgomery');
      await help.getByRole('button', { name: 'Ask for help' }).click();
      await help.getByRole('button', { name: 'Cancel help request' }).waitFor();
      const page = await signIn('/', `manager.${team}`, screen);
      await page.getByRole('heading', { level: 1, name: 'Live board' }).waitFor();
      const agentName = apps.server.floor.directory.name(agentId);
      const firstRow = page.locator('.board-table tbody tr').filter({ has: page.getByRole('button', { name: agentName, exact: true }) });
      await firstRow.waitFor();
      expect(await firstRow.evaluate((tr) => getComputedStyle(tr).display)).toBe(screen === 'desktop' ? 'table-row' : 'grid');
      await withinWidth(page, page.locator('.state-tile'));
      const tileRows = new Set(await page.locator('.state-tile').evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top))));
      expect(tileRows.size).toBe(screen === 'desktop' ? 1 : 2);

      const alert = page.getByRole('region', { name: 'Help requests' }).getByRole('alert');
      await alert.waitFor();
      await withinWidth(page, alert.getByRole('button'));
      await expectFitsViewport(page);
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
      await expectFitsViewport(page);
      await screenshot(page, `phone-screens-dock-${screen}`);
      await desk
        .getByRole('region', { name: 'Supervision of your call' })
        .getByText(/is coaching you/)
        .first()
        .waitFor();
      await expectFitsViewport(desk);
      await screenshot(desk, `phone-screens-desk-coached-${screen}`);
      await page.context().close();
      await desk.context().close();
    }, 90_000);
  }
});
