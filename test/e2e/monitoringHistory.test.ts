import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeWithBrowser } from '../support/browser.js';
import { answerOnDesk, builtAppsInBrowser, expectFitsViewport } from '../support/builtApps.js';
import { connectAs, ok } from '../support/harness.js';
import { screenshot, seriousAxeViolations, type ViewportName } from '../support/pageChecks.js';

const TITLE = 'Who listened to my calls';

describeWithBrowser("'Who listened to my calls' on the agent desk (Chromium, built apps, real server)", () => {
  const apps = builtAppsInBrowser();

  async function agentDesk(username: string, viewport: ViewportName): Promise<Page> {
    const page = await apps.signIn('/agent', username, viewport);
    await page.getByRole('heading', { name: 'You are logged out of the phone' }).waitFor();
    return page;
  }

  /** What the agent reads of each entry: who and the modes, then each label with its value. */
  function entriesShown(page: Page) {
    return page
      .getByRole('dialog', { name: TITLE })
      .getByRole('listitem')
      .evaluateAll((items) =>
        items.map((item) => [
          item.querySelector('.earshot-history__who strong')!.textContent,
          item.querySelector('.earshot-history__modes')!.textContent,
          ...[...item.querySelectorAll('dt')].map((dt) => `${dt.textContent}: ${dt.nextElementSibling!.textContent}`),
        ]),
      );
  }

  const focusedText = (page: Page) => page.evaluate(() => document.activeElement?.textContent ?? null);

  for (const [viewport, username, managerName] of [
    ['desktop', 'agent.billing', 'manager.billing'],
    ['phone', 'agent.sales', 'manager.sales'],
  ] as const) {
    it(`${viewport}: a manager monitors then coaches the agent's call; the agent opens the history and sees who, the modes, when, how long; it fits and passes axe`, async () => {
      const page = await agentDesk(username, viewport);
      const { agentId, callId } = await answerOnDesk(page, apps.server, username);
      const call = apps.server.floor.phoneOf(agentId).call!;
      const manager = await connectAs(apps.server.url, managerName);
      const { session } = await ok(manager.socket, 'supervise:start', { agentId, mode: 'monitor' });
      apps.server.clock.advance(30_000);
      await ok(manager.socket, 'supervise:mode', { sessionId: session.sessionId, mode: 'coach' });
      apps.server.clock.advance(45_000);
      await ok(manager.socket, 'supervise:stop', { sessionId: session.sessionId });

      // Opened from the keyboard: the focus goes to Close, Escape closes, the focus comes back.
      const opener = page.getByRole('button', { name: TITLE });
      await opener.focus();
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: TITLE });
      await dialog.getByRole('heading', { name: TITLE, level: 2 }).waitFor();
      await dialog.getByRole('list', { name: TITLE }).waitFor();
      expect(await focusedText(page)).toBe('Close');
      expect(await entriesShown(page)).toEqual([
        [
          manager.login.me.displayName,
          'Monitoring, then coaching',
          expect.stringMatching(/^When: .*2026/),
          'How long: 1 minute 15 seconds',
          expect.stringMatching(new RegExp(`^Call: ${call.queue} call, ${call.remoteNumberMasked.replace(/[+]/g, '\\+')}, .*2026`)),
        ],
      ]);
      expect(await dialog.textContent()).not.toContain(callId);
      await expectFitsViewport(page);
      await screenshot(page, `monitoring-history-${viewport}`);
      expect(await seriousAxeViolations(page)).toEqual([]);

      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      expect(await focusedText(page)).toBe(TITLE);
      await page.context().close();
    }, 60_000);

    it(`${viewport}: an agent without Live Monitoring Notifications (Privileged User) is offered no history`, async () => {
      // The desk shows the phone after its attach, and the rights are pushed before the attach: they are known here.
      const page = await agentDesk('privileged.support', viewport);
      expect(await page.getByRole('button', { name: TITLE }).count()).toBe(0);
      expect(await page.getByRole('heading', { name: 'Supervision of your calls' }).count()).toBe(0);
      await expectFitsViewport(page);
      await screenshot(page, `monitoring-history-not-offered-${viewport}`);
      await page.context().close();
    }, 60_000);
  }
});
