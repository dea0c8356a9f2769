import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { describeWithBrowser } from '../support/browser.js';
import { builtAppsInBrowser, expectFitsViewport } from '../support/builtApps.js';
import { agentOnCall } from '../support/floor.js';
import { connectAs, ok, userId } from '../support/harness.js';
import { screenshot, seriousAxeViolations, type ViewportName } from '../support/pageChecks.js';

/**
 * The audit log as people read it (issue 13, item 5): names, not ids; actions in words; details as labelled
 * fields; a target chosen by name; a CSV export people can read, with the ids and hashes beside.
 */
describeWithBrowser('the audit log, readable for people (Chromium, built app, real server)', () => {
  const apps = builtAppsInBrowser();
  let callId: string;
  let names: { agent: string; manager: string; salesAgent: string; admin: string };

  beforeAll(async () => {
    const { server } = apps;
    const agent = await agentOnCall(server, 'agent.billing');
    callId = agent.callId;
    const manager = await connectAs(server.url, 'manager.billing');
    const { session } = await ok(manager.socket, 'supervise:start', { agentId: agent.userId, mode: 'coach' });
    await ok(manager.socket, 'supervise:stop', { sessionId: session.sessionId });
    const admin = await connectAs(server.url, 'admin');
    const salesAgentId = await userId(server, 'agent.sales');
    // The demo seeds agent.sales with the phone PJSIP/2001 (README, demo logins).
    await ok(admin.socket, 'users:update', { userId: salesAgentId, extension: '2042' });
    await ok(admin.socket, 'teams:create', { name: 'Night shift', memberIds: [agent.userId] });
    const name = async (username: string) => (await server.store.users.get(await userId(server, username)))!.displayName;
    names = {
      agent: await name('agent.billing'),
      manager: manager.login.me.displayName,
      salesAgent: await name('agent.sales'),
      admin: admin.login.me.displayName,
    };
  });

  async function auditPage(viewport: ViewportName): Promise<Page> {
    const page = await apps.signIn('/', 'admin', viewport);
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    return page;
  }

  const rows = (page: Page) => page.getByRole('table', { name: 'Audit records' }).locator('tbody tr');
  /** Each row as read: actor, action, target, outcome, and the details as "label: value". */
  const rowsAsRead = async (page: Page) =>
    Promise.all(
      (await rows(page).all()).map(async (r) => {
        const cells = r.locator('td');
        const fields = await r
          .locator('.audit-fields > div')
          .evaluateAll((divs) => divs.map((d) => `${d.querySelector('dt')!.textContent}: ${d.querySelector('dd')!.textContent}`));
        return [await cells.nth(1).textContent(), await cells.nth(2).textContent(), await cells.nth(3).textContent(), await cells.nth(4).textContent(), fields];
      }),
    );
  /**
   * Applies the filters and waits for their answer: the count, and the action the first row must now show
   * (the count alone may be the previous filter's, still on the page).
   */
  async function applyFilters(page: Page, count: number, firstAction: string): Promise<void> {
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Records 1–${count} of ${count}` })
      .waitFor();
    await rows(page).first().locator('td').nth(2).filter({ hasText: firstAction }).waitFor();
  }

  for (const viewport of ['desktop', 'phone'] as const satisfies readonly ViewportName[]) {
    it(`${viewport}: a coaching reads as names and words, a target is chosen by name, and the CSV says the same as the page`, async () => {
      const page = await auditPage(viewport);
      const filters = page.getByRole('form', { name: 'Audit filters' });
      // No field asks for an internal id: the actor and the target are lists of names.
      expect(await filters.locator('input:not([type=datetime-local])').count()).toBe(0);
      expect(await filters.getByLabel('Actor').locator('option').allTextContents()).toContain(names.manager);

      await filters.getByLabel('Action').selectOption({ label: 'Started supervising' });
      await applyFilters(page, 1, 'Started coaching');
      const c = apps.server.floor.phoneOf(await userId(apps.server, 'agent.billing')).call!;
      const [coaching] = await rowsAsRead(page);
      expect(coaching).toEqual([
        names.manager,
        'Started coaching',
        names.agent,
        'Done',
        [
          `Call: Billing call, ${c.remoteNumberMasked}, ${await page.evaluate((at) => new Date(at).toLocaleString([], { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }), c.startedAt)}`,
          'Mode: Coach',
          `Agent: ${names.agent}`,
        ],
      ]);
      const tableText = (await page.getByRole('table', { name: 'Audit records' }).textContent())!;
      expect(tableText).not.toContain(callId);
      expect(tableText).not.toMatch(/\b(user|profile|team) \d+\b|\{/);
      await expectFitsViewport(page);
      expect(await seriousAxeViolations(page)).toEqual([]);
      await screenshot(page, `audit-coaching-${viewport}`);

      // A person chosen by name: the change made to them, nothing else.
      await filters.getByLabel('Action').selectOption({ label: 'Any' });
      await filters.getByLabel('Target').selectOption({ label: 'A user' });
      await filters.getByLabel('Which user').selectOption({ label: names.salesAgent });
      await applyFilters(page, 1, 'Changed user');
      expect(await rowsAsRead(page)).toEqual([
        [names.admin, 'Changed user', names.salesAgent, 'Done', ['Extension: PJSIP/2001 → 2042', `User: ${names.salesAgent}`]],
      ]);

      // A team chosen by name; the export holds what the page shows, then the ids and the chain's hashes.
      await filters.getByLabel('Target').selectOption({ label: 'A team' });
      expect(await filters.getByLabel('Which team').locator('option').allTextContents()).toEqual(['Any team', 'Billing', 'Night shift', 'Sales', 'Support']);
      await filters.getByLabel('Which team').selectOption({ label: 'Night shift' });
      await applyFilters(page, 1, 'Created team');
      expect(await rowsAsRead(page)).toEqual([[names.admin, 'Created team', 'Night shift', 'Done', ['Name: Night shift', `Members: ${names.agent}`]]]);
      await expectFitsViewport(page);
      expect(await seriousAxeViolations(page)).toEqual([]);
      await rows(page).first().scrollIntoViewIfNeeded();
      await screenshot(page, `audit-target-team-${viewport}`);

      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Export CSV' }).click();
      const lines = readFileSync((await (await download).path())!, 'utf8').split('\r\n');
      const { records } = await apps.server.store.audit.query({ action: 'teams:create', limit: 1 });
      const r = records[0]!;
      const utc = new Date(r.at).toISOString().slice(0, 19).replace('T', ' ');
      expect(lines).toEqual([
        'Record,Time (UTC),Actor,Action,Target,Outcome,Details,Actor id,Action name,Target type,Target id,Error code,Previous hash,Hash',
        `${r.id},${utc},${names.admin},Created team,Night shift,Done,Name: Night shift; Members: ${names.agent},${r.actorId},teams:create,team,${r.targetId},,${r.prevHash},${r.hash}`,
        '',
      ]);
      await page.context().close();
    }, 60_000);
  }
});
