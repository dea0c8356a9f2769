import { expect, it } from 'vitest';
import { describeWithBrowser } from '../support/browser.js';
import { builtAppsInBrowser, expectFitsViewport } from '../support/builtApps.js';
import { userId } from '../support/harness.js';
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

  for (const [viewport, managerName, agentName] of [
    ['desktop', 'manager.billing', 'sim.billing.2'],
    ['phone', 'manager.sales', 'sim.sales.2'],
  ] as const) {
    it(`${viewport}: a manager tries monitor, coach, barge and record on one simulated call, from the board`, async () => {
      const { server } = apps;
      // A simulated agent logs in on the first tick and answers an offered call a few (test clock) seconds later.
      server.simulator!.tick();
      server.clock.advance(1000);
      server.simulator!.tick();
      const agentId = await userId(server, agentName);
      server.simulator!.placeCall({ toUserId: agentId });
      server.simulator!.tick();
      server.clock.advance(5000);
      server.simulator!.tick();
      const callId = server.floor.phoneOf(agentId).call!.callId;

      const page = await apps.signIn('/', managerName, viewport);
      const agent = server.floor.directory.name(agentId);
      await page.getByRole('button', { name: agent, exact: true }).click();
      const panel = page.getByRole('complementary', { name: `Agent ${agent}` });
      await panel.getByRole('button', { name: 'Monitor' }).click();
      const card = page.getByRole('article', { name: `Session with ${agent}` });
      const managerId = await userId(server, managerName);
      const modeNow = () => server.floor.supervision.sessionsOf(managerId).map((s) => s.mode);
      await expect.poll(modeNow).toEqual(['monitor']);
      for (const [button, mode] of [
        ['Coach', 'coach'],
        ['Barge', 'barge'],
      ] as const) {
        await card.getByRole('group', { name: 'Switch mode' }).getByRole('button', { name: button }).click();
        await card.getByTestId('session-mode').filter({ hasText: button }).waitFor();
        await expect.poll(modeNow).toEqual([mode]);
      }
      await panel.getByRole('button', { name: 'Record' }).click();
      await panel.getByRole('button', { name: 'Stop recording' }).waitFor();
      // Still the one call it started on; the card names it by its queue and masked number, not its id.
      const call = server.floor.phoneOf(agentId).call!;
      expect(call).toMatchObject({ callId, recording: 'on' });
      const summary = (await card.locator('.session-summary').textContent())!;
      expect(summary).toContain(`${agent} · ${call.queue} · ${call.remoteNumberMasked}`);
      expect(summary).not.toContain(callId);
      await expectFitsViewport(page);
      await card.scrollIntoViewIfNeeded();
      await screenshot(page, `first-steps-one-call-${viewport}`);
      await card.getByRole('button', { name: 'Stop', exact: true }).click();
      await expect.poll(modeNow).toEqual([]);
      await page.context().close();
    }, 60_000);
  }
});
