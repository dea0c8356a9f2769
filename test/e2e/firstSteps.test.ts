import { expect, it } from 'vitest';
import { describeWithBrowser } from '../support/browser.js';
import { builtAppsInBrowser } from '../support/builtApps.js';
import { horizontalFit, screenshot, seriousAxeViolations } from '../support/pageChecks.js';

describeWithBrowser('first steps: an agent who opens the supervisor app (Chromium, built apps, real server)', () => {
  const apps = builtAppsInBrowser();

  for (const viewport of ['desktop', 'phone'] as const) {
    it(`${viewport}: is shown the way to the desktop agent, not an empty board, and the link opens it`, async () => {
      const page = await apps.signIn('/', 'agent.support', viewport);
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
    const page = await apps.signIn('/', 'manager.support', 'desktop');
    await page.getByRole('heading', { level: 1, name: 'Live board' }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Pages' }).getByRole('link').allTextContents()).toEqual(['Live board', 'Recordings', 'Alerts']);
    await page.context().close();
  }, 60_000);
});
