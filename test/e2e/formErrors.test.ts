import type { Locator, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeWithBrowser } from '../support/browser.js';
import { builtAppsInBrowser, expectFitsViewport } from '../support/builtApps.js';
import { fieldError, screenshot, seriousAxeViolations, type ViewportName } from '../support/pageChecks.js';

/**
 * Validation errors are sentences beside the field (issue 13, item 5): shown once a field is left and on submit,
 * in the words the server would answer with, and nothing is sent while one shows.
 */
describeWithBrowser('form errors beside their fields (Chromium, built app, real server)', () => {
  const apps = builtAppsInBrowser();

  async function openPage(page: Page, link: string, heading: string): Promise<void> {
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: link, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  }

  async function expectReadable(page: Page, form: Locator, name: string): Promise<void> {
    await form.scrollIntoViewIfNeeded();
    await expectFitsViewport(page, { boxes: true });
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, name);
  }

  for (const viewport of ['desktop', 'phone'] as const satisfies readonly ViewportName[]) {
    it(`${viewport}: users, teams, profiles and alert thresholds say what is wrong beside the field, and send nothing`, async () => {
      const page = await apps.signIn('/', 'admin', viewport);
      await page.getByRole('heading', { level: 1, name: 'Live board' }).waitFor();
      const usersBefore = (await apps.server.store.users.list()).length;

      await openPage(page, 'Users', 'Users');
      await page.getByRole('button', { name: 'New user' }).click();
      const userForm = page.getByRole('form', { name: 'New user' });
      const password = userForm.getByLabel('Password');
      await password.fill('short');
      await expect.poll(() => fieldError(password)).toBeNull();
      await password.blur();
      await expect.poll(() => fieldError(password)).toBe('The password needs at least 8 characters.');
      await userForm.getByLabel('Extension (telephony)').fill('desk 7');
      await userForm.getByRole('button', { name: 'Create user' }).click();
      await expect.poll(() => fieldError(userForm.getByLabel('Username'))).toBe('The username is required.');
      await expect.poll(() => fieldError(userForm.getByLabel('Display name'))).toBe('The display name is required.');
      await expect
        .poll(() => fieldError(userForm.getByLabel('Extension (telephony)')))
        .toBe('The extension may use only letters, digits and . _ @ + / -, and starts with a letter or digit.');
      // The first wrong field takes the focus.
      expect(await userForm.getByLabel('Username').evaluate((el) => el === document.activeElement)).toBe(true);
      await expectReadable(page, userForm, `form-errors-user-${viewport}`);
      await password.fill('a-long-password');
      await expect.poll(() => fieldError(password)).toBeNull();
      expect(await apps.server.store.users.list()).toHaveLength(usersBefore);

      await openPage(page, 'Teams', 'Teams');
      await page.getByRole('button', { name: 'New team' }).click();
      const teamForm = page.getByRole('form', { name: 'New team' });
      await teamForm.getByLabel('Name').fill(' ');
      await teamForm.getByRole('button', { name: 'Create team' }).click();
      await expect.poll(() => fieldError(teamForm.getByLabel('Name'))).toBe('The name is required.');
      await expectReadable(page, teamForm, `form-errors-team-${viewport}`);

      await openPage(page, 'Profiles', 'Security profiles');
      const profileForm = page.getByRole('form', { name: 'New profile' });
      await profileForm.getByRole('button', { name: 'Create profile' }).click();
      await expect.poll(() => fieldError(profileForm.getByLabel('Name'))).toBe('The name is required.');
      await expectReadable(page, profileForm, `form-errors-profile-${viewport}`);

      await openPage(page, 'Alerts', 'Alerts');
      const defaults = page.getByRole('form', { name: 'Default thresholds' });
      const longCall = defaults.getByLabel('Long call (seconds)');
      await longCall.fill('0');
      await longCall.blur();
      await expect.poll(() => fieldError(longCall)).toBe('A threshold is at least 1 second.');
      await defaults.getByLabel('Long hold (seconds)').fill('');
      await defaults.getByRole('button', { name: 'Save defaults' }).click();
      await expect.poll(() => fieldError(defaults.getByLabel('Long hold (seconds)'))).toBe('A threshold is a number of seconds.');
      await expectReadable(page, defaults, `form-errors-alerts-${viewport}`);
      expect(await apps.server.store.alertSettings.defaults()).not.toMatchObject({ longCall: 0 });
      await page.context().close();
    }, 60_000);
  }
});
