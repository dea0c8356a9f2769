import type { Locator, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeWithBrowser } from '../support/browser.js';
import { builtAppsInBrowser, expectFitsViewport } from '../support/builtApps.js';
import { connectAs, ok, userId } from '../support/harness.js';
import { fieldError, screenshot, seriousAxeViolations, type ViewportName } from '../support/pageChecks.js';

/**
 * The telephony platform names an agent's phone by an extension ("the platform's endpoint or extension
 * mapped to an Earshot user by a field on the user, editable on the users page"). An Administrator sets it
 * on the Users page: a value the platform could not name is refused in a sentence, a good one is saved (a
 * reload shows it, the floor maps it to the user) and audited in words.
 */
describeWithBrowser("an Administrator edits a user's telephony extension on the Users page (Chromium, built app)", () => {
  const apps = builtAppsInBrowser();

  /** A user of their own per screen size, the phone the demo floor gave them, and the extension each gets. */
  const CASES = [
    ['desktop', 'agent.support', 'PJSIP/3001', '2041'],
    ['phone', 'agent.sales', 'PJSIP/2001', 'PJSIP/sales-7'],
  ] as const satisfies readonly [ViewportName, string, string, string][];

  const usersPage = async (page: Page) => {
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Users' }).click();
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
  };
  /** The user's row, and the text of its Extension cell. */
  const rowOf = (page: Page, name: string) =>
    page
      .getByRole('table', { name: 'Users' })
      .locator('tbody tr')
      .filter({ has: page.getByRole('rowheader', { name, exact: true }) });
  const extensionCell = (row: Locator) => row.locator('td').nth(1).textContent();

  for (const [viewport, username, demoPhone, extension] of CASES) {
    it(`${viewport}: a bad extension is refused in a sentence; a good one is saved, shown after a reload, used by the floor and audited in words`, async () => {
      const id = await userId(apps.server, username);
      const name = apps.server.floor.directory.name(id);
      const page = await apps.signIn('/', 'admin', viewport);
      await usersPage(page);
      const row = rowOf(page, name);
      expect(await extensionCell(row)).toBe(demoPhone);

      await row.getByRole('button', { name: `Edit ${name}` }).click();
      const form = page.getByRole('form', { name: `Edit ${name}` });
      const field = form.getByLabel('Extension (telephony)');
      await field.fill('desk 7');
      await form.getByRole('button', { name: 'Save user' }).click();
      // Refused beside the field, in the sentence the server would answer, before anything is sent.
      expect(await fieldError(field)).toBe('The extension may use only letters, digits and . _ @ + / -, and starts with a letter or digit.');
      expect(await field.getAttribute('aria-invalid')).toBe('true');
      expect(await apps.server.store.users.get(id)).toMatchObject({ extension: demoPhone });
      await expectFitsViewport(page, { boxes: true });
      await screenshot(page, `user-extension-refused-${viewport}`);

      await field.fill(extension);
      await form.getByRole('button', { name: 'Save user' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `${name} saved` })
        .waitFor();
      expect(await extensionCell(row)).toBe(extension);
      await expect.poll(() => apps.server.floor.directory.userAtEndpoint(extension)).toBe(id);

      await page.reload();
      await usersPage(page);
      expect(await extensionCell(rowOf(page, name))).toBe(extension);
      await rowOf(page, name)
        .getByRole('button', { name: `Edit ${name}` })
        .click();
      expect(
        await page
          .getByRole('form', { name: `Edit ${name}` })
          .getByLabel('Extension (telephony)')
          .inputValue(),
      ).toBe(extension);
      await expectFitsViewport(page, { boxes: true });
      await screenshot(page, `user-extension-saved-${viewport}`);
      expect(await seriousAxeViolations(page)).toEqual([]);

      // The audit log: the change, in words, on this user.
      await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Audit log' }).click();
      await page.getByLabel('Action').selectOption('users:update');
      await page.getByLabel('Target').selectOption({ label: 'A user' });
      await page.getByLabel('Which user').selectOption({ label: name });
      await page.getByRole('button', { name: 'Apply filters' }).click();
      const records = page.getByRole('table', { name: 'Audit records' }).locator('tbody tr');
      // The filtered answer, not the unfiltered rows still on the page: one change, on this user.
      await expect
        .poll(() => records.evaluateAll((rows) => rows.map((r) => [r.querySelectorAll('td')[2]?.textContent, r.querySelectorAll('td')[3]?.textContent])))
        .toEqual([['Changed user', name]]);
      const saved = records.filter({ has: page.locator('.outcome-ok') });
      expect(await saved.count()).toBe(1);
      expect(await saved.locator('td').nth(2).textContent()).toBe('Changed user');
      expect(await saved.locator('td').nth(3).textContent()).toBe(name);
      const fields = await saved
        .locator('.audit-fields > div')
        .evaluateAll((divs) => divs.map((d) => `${d.querySelector('dt')!.textContent}: ${d.querySelector('dd')!.textContent}`));
      expect(fields).toContain(`Extension: ${demoPhone} → ${extension}`);
      await expectFitsViewport(page, { boxes: true });
      await screenshot(page, `user-extension-audited-${viewport}`);
      expect(await seriousAxeViolations(page)).toEqual([]);

      const admin = await connectAs(apps.server.url, 'admin');
      const { records: audited } = await ok(admin.socket, 'audit:query', { action: 'users:update', targetId: String(id), outcome: 'ok' });
      expect(audited.map((r) => r.detail.extension)).toEqual([{ from: demoPhone, to: extension }]);
      await page.context().close();
    }, 60_000);
  }
});
