import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AgentPhoneState } from '@earshot/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../server/src/app.js';
import { ARTIFACTS_DIR, describeWithBrowser, launchBrowser } from '../support/browser.js';
import { closeAllSockets, connectAs, nextEvent, ok, startTestServer, userId, type TestServer } from '../support/harness.js';

/** The server serves the built app (staticApps.ts): `npm test` builds it first. */
const BUILT_APP = fileURLToPath(new URL('../../supervisor-client/dist/index.html', import.meta.url));

describeWithBrowser('supervisor web app (Chromium against the built app on a real server)', () => {
  let server: TestServer;
  let browser: Browser;
  /** The Manager's page stays open from the first test on: the rights change must reach it without a reload. */
  let managerPage: Page;
  let adminPage: Page;
  let displayName: Map<string, string>;
  const name = (username: string) => displayName.get(username)!;

  beforeAll(async () => {
    if (!existsSync(BUILT_APP)) throw new Error(`${BUILT_APP} is missing: run "npm run build" first (npm test does)`);
    server = await startTestServer();
    browser = await launchBrowser();
    displayName = new Map((await server.store.users.list()).map((u) => [u.username, u.displayName]));
    // Simulated agents log in on the first tick, and answer an offered call a few (test clock) seconds later.
    server.simulator!.tick();
    server.clock.advance(1000);
    server.simulator!.tick();
    for (const username of ['sim.billing.2', 'sim.billing.3', 'sim.sales.2']) {
      server.simulator!.placeCall({ toUserId: await userId(server, username) });
      server.simulator!.tick();
    }
    server.clock.advance(5000);
    server.simulator!.tick();
    for (const username of ['sim.billing.2', 'sim.billing.3', 'sim.sales.2']) {
      expect(server.floor.phoneOf(await userId(server, username)).state).toBe('talking');
    }
  });

  afterAll(async () => {
    await browser?.close();
    closeAllSockets();
    await server?.close();
  });

  async function openApp(username: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Pages' }).waitFor();
    return page;
  }

  const menu = (page: Page) => page.getByRole('navigation', { name: 'Pages' }).getByRole('link').allTextContents();
  const boardNames = (page: Page) => page.locator('.board-table tbody th[scope=row] .agent-name').allTextContents();
  const agentPanel = (page: Page, agent: string) => page.getByRole('complementary', { name: `Agent ${agent}` });
  const panelControls = (page: Page, agent: string) => agentPanel(page, agent).locator('.agent-controls button').allTextContents();
  const sessionsOf = async (username: string) =>
    server.floor.supervision.sessionsOf(await userId(server, username)).map((s) => ({ agentId: s.agentId, mode: s.mode }));

  it('a Manager sees only his team, monitors an agent on a simulated call, switches to coach and stops', async () => {
    managerPage = await openApp('manager.billing');
    const page = managerPage;
    await page.getByText('6 agents in your scope').waitFor();
    const billing = ['agent.billing', 'sim.billing.2', 'sim.billing.3', 'sim.billing.4', 'sim.billing.5', 'sim.billing.6'].map(name);
    expect((await boardNames(page)).sort()).toEqual([...billing].sort());
    expect(await page.locator('.board-table tbody td:nth-of-type(1)').allTextContents()).toEqual(Array(6).fill('Billing'));
    expect(await page.getByLabel('Team').locator('option').allTextContents()).toEqual(['All teams', 'Billing']);
    expect(await page.getByRole('button', { name: '2 Talking' }).count()).toBe(1);
    expect(await menu(page)).toEqual(['Live board', 'Recordings', 'Alerts']);

    const agent = name('sim.billing.2');
    const agentId = await userId(server, 'sim.billing.2');
    await page.getByRole('button', { name: agent, exact: true }).click();
    expect(await panelControls(page, agent)).toEqual(['Monitor', 'Coach', 'Barge', 'Record']);

    await agentPanel(page, agent).getByRole('button', { name: 'Monitor' }).click();
    const card = page.getByRole('article', { name: `Session with ${agent}` });
    await expect.poll(() => card.getByTestId('session-mode').textContent()).toBe('Monitor');
    expect(await sessionsOf('manager.billing')).toEqual([{ agentId, mode: 'monitor' }]);
    await page.locator(`tr[data-agent-id="${agentId}"] .mode-chip`).filter({ hasText: 'Monitor' }).waitFor();
    expect(await card.getByRole('group', { name: 'Switch mode' }).getByRole('button').allTextContents()).toEqual(['Coach', 'Barge']);

    await card.getByRole('button', { name: 'Coach' }).click();
    await expect.poll(() => card.getByTestId('session-mode').textContent()).toBe('Coach');
    expect(await sessionsOf('manager.billing')).toEqual([{ agentId, mode: 'coach' }]);
    expect(await page.locator(`tr[data-agent-id="${agentId}"] .mode-chip`).textContent()).toBe(`${name('manager.billing')} · Coach`);
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'supervisor-board.png') });

    await card.getByRole('button', { name: 'Stop', exact: true }).click();
    const ended = page.getByRole('status', { name: `Ended session with ${agent}` });
    await ended.waitFor();
    expect(await ended.locator('.end-reason').textContent()).toBe('You stopped the session');
    expect(await sessionsOf('manager.billing')).toEqual([]);
    expect(await card.count()).toBe(0);
  });

  it('a user with the Agent profile sees no Monitor control', async () => {
    // agent.billing takes a call on the desktop-agent protocol, then opens the supervisor app.
    const { socket } = await connectAs(server.url, 'agent.billing');
    await ok(socket, 'agent:attach', {});
    await ok(socket, 'agent:status', { status: 'available' });
    const ringing = nextEvent<{ phone: AgentPhoneState }>(socket, 'agent:phone');
    server.simulator!.placeCall({ toUserId: await userId(server, 'agent.billing') });
    server.simulator!.tick();
    await ok(socket, 'call:answer', { callId: (await ringing).phone.call!.callId });

    const page = await openApp('agent.billing');
    const me = name('agent.billing');
    // Sent to the desktop agent first; their own row is on the Live board.
    await page.getByRole('heading', { name: 'You take calls in the desktop agent' }).waitFor();
    expect(await menu(page)).toEqual(['Desktop agent', 'Live board', 'Alerts']);
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Live board' }).click();
    await page.getByText('1 agent in your scope').waitFor();
    expect(await boardNames(page)).toEqual([me]);
    await page.getByRole('button', { name: me, exact: true }).click();
    await agentPanel(page, me).locator('.state-talking').waitFor();
    // Their own recording rights show; Monitor (Live Monitor) does not, nor any other live control.
    expect(await panelControls(page, me)).toEqual(['Record']);
    expect(await page.getByRole('button', { name: 'Monitor' }).count()).toBe(0);
    await page.context().close();
  });

  it("an Administrator removes Barge from the Manager profile and the Manager's open page loses Barge without a reload", async () => {
    const agent = name('sim.billing.2');
    // The Manager still has the agent picked, on a call: Barge is there, and the page is marked to tell a reload.
    await managerPage.evaluate(() => Object.assign(window, { notReloaded: true }));
    expect(await panelControls(managerPage, agent)).toEqual(['Monitor', 'Coach', 'Barge', 'Record']);

    adminPage = await openApp('admin');
    const page = adminPage;
    expect(await menu(page)).toEqual(['Live board', 'Recordings', 'Profiles', 'Users', 'Teams', 'Audit log', 'Alerts']);
    await page.getByRole('link', { name: 'Profiles' }).click();
    const barge = page.getByRole('checkbox', { name: 'Barge for Manager' });
    await barge.waitFor();
    expect(await barge.isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'Barge for Administrator' }).isDisabled()).toBe(true);

    // A save that breaks docs/permissions.md rule 5 is refused, and says which right is missing.
    await page.getByRole('checkbox', { name: 'Live Monitor for Manager' }).uncheck();
    await page.getByRole('button', { name: 'Save Manager' }).click();
    await expect
      .poll(() => page.getByRole('alert').first().textContent())
      .toContain('Manager: Coach needs Live Monitor (live.monitor): coaching starts from listening (rule 5)');
    await page.getByRole('button', { name: 'Discard changes to Manager' }).click();
    expect(await page.getByRole('checkbox', { name: 'Live Monitor for Manager' }).isChecked()).toBe(true);

    await barge.uncheck();
    await page.locator('#page').evaluate((el) => el.scrollTo(0, 0));
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'supervisor-profile-matrix.png') });
    await page.getByRole('button', { name: 'Save Manager' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'saved' }).textContent()).toBe('Manager saved');
    expect(await barge.isChecked()).toBe(false);

    await agentPanel(managerPage, agent).getByRole('button', { name: 'Barge' }).waitFor({ state: 'detached' });
    expect(await panelControls(managerPage, agent)).toEqual(['Monitor', 'Coach', 'Record']);
    expect(await managerPage.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
  });

  it('the audit viewer lists those actions, and exports them as CSV', async () => {
    const page = adminPage;
    await page.getByRole('link', { name: 'Audit log' }).click();
    const rows = page.getByRole('table', { name: 'Audit records' }).locator('tbody tr');
    // Each row: the actor, the action's name (data-action) and its words, and the outcome.
    const rowsAs = async () =>
      Promise.all(
        (await rows.all()).map(async (r) => [
          await r.locator('td').nth(1).textContent(),
          await r.getAttribute('data-action'),
          await r.locator('td').nth(2).textContent(),
          (await r.locator('.outcome').getAttribute('class'))?.replace('outcome outcome-', ''),
        ]),
      );
    const only = async (action: string, count: number) => {
      await page.getByLabel('Action').selectOption(action);
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.getByText(`Records 1–${count} of ${count}`).waitFor();
      // The count may still be the previous filter's: wait for this filter's own rows.
      await expect.poll(() => rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-action')))).toEqual(Array(count).fill(action));
      return rowsAs();
    };

    const manager = name('manager.billing');
    expect(await only('supervise:start', 1)).toEqual([[manager, 'supervise:start', 'Started monitoring', 'ok']]);
    expect(await only('supervise:mode', 1)).toEqual([[manager, 'supervise:mode', 'Switched to coaching', 'ok']]);
    expect(await only('supervise:stop', 1)).toEqual([[manager, 'supervise:stop', 'Stopped coaching', 'ok']]);
    expect(await only('supervise:ended', 1)).toEqual([[manager, 'supervise:ended', 'Supervision ended', 'ok']]);

    expect(await only('profiles:update', 2)).toEqual([
      [name('admin'), 'profiles:update', 'Changed profile rights', 'ok'],
      [name('admin'), 'profiles:update', 'Changed profile rights', 'refused'],
    ]);
    // Details are labelled fields in words, never raw JSON.
    const detail0 = await rows.nth(0).locator('.detail').textContent();
    expect(detail0).toContain('Rights removed');
    expect(detail0).toContain('Barge');
    expect(detail0).not.toContain('{');
    expect(await rows.nth(1).locator('.detail').textContent()).toContain('Coach needs Live Monitor');
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'supervisor-audit.png') });

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const file = await (await download).path();
    const lines = readFileSync(file, 'utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe('Record,Time (UTC),Actor,Action,Target,Outcome,Details,Actor id,Action name,Target type,Target id,Error code,Previous hash,Hash');
    // Record, time, then the actor, the action in words, the target and the outcome as the page shows them.
    expect(lines.slice(1).map((l) => /^\d+,[^,]+,([^,]+),([^,]+),([^,]+),([^,]+),/.exec(l)!.slice(1))).toEqual([
      [name('admin'), 'Changed profile rights', 'Manager', 'Done'],
      [name('admin'), 'Changed profile rights', 'Manager', 'Refused'],
    ]);
  });
});
