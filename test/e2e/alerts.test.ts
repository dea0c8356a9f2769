import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_PASSWORD, type ServerConfig } from '../../server/src/app.js';
import { describeWithBrowser, launchBrowser } from '../support/browser.js';
import { agentOnCall, type AgentOnCall } from '../support/floor.js';
import { closeAllSockets, connectAs, ok, startTestServer, userId, type ClientSocket, type TestServer } from '../support/harness.js';
import { horizontalFit, screenshot, seriousAxeViolations, VIEWPORTS, type ViewportName } from '../support/pageChecks.js';

const BUILT_APP = fileURLToPath(new URL('../../supervisor-client/dist/index.html', import.meta.url));

/**
 * Stands in for the browser's Notification API (granted) and counts the chime's tones, so the test reads
 * exactly which desktop notifications and sounds the app raised.
 */
const SIGNAL_RECORDER = () => {
  const signals = { notifications: [] as { title: string; body: string }[], tones: 0 };
  (window as unknown as { alertSignals: typeof signals }).alertSignals = signals;
  class RecordedNotification {
    static permission = 'granted';
    static requestPermission = async () => 'granted';
    constructor(title: string, options?: { body?: string }) {
      signals.notifications.push({ title, body: options?.body ?? '' });
    }
    close() {}
  }
  (window as unknown as { Notification: unknown }).Notification = RecordedNotification;
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (...args: Parameters<typeof start>) {
    signals.tones += 1;
    return start.apply(this, args);
  };
};

describeWithBrowser('alerts (Chromium, built app, real server, scripted clock)', () => {
  let server: TestServer;
  let browser: Browser;
  let admin: ClientSocket;
  let billing: AgentOnCall;
  let names: Map<string, string>;
  const name = (username: string) => names.get(username)!;

  beforeAll(async () => {
    if (!existsSync(BUILT_APP)) throw new Error(`${BUILT_APP} is missing: run "npm run build" first (npm test does)`);
    // The simulator drives no agent: only the people of the test change state.
    server = await startTestServer({ simulator: { agents: 0 } as ServerConfig['simulator'] });
    browser = await launchBrowser(['--autoplay-policy=no-user-gesture-required']);
    names = new Map((await server.store.users.list()).map((u) => [u.username, u.displayName]));
    admin = (await connectAs(server.url, 'admin')).socket;
    // A team lead sees the whole floor but holds no Live Monitor.
    const { profile } = await ok(admin, 'profiles:create', { name: 'Team lead', rights: ['phoneState.view'], scope: 'all' });
    await ok(admin, 'users:create', { username: 'lead', displayName: 'Lou Lead', password: DEMO_PASSWORD, profileId: profile.id });
  });

  afterAll(async () => {
    await browser?.close();
    closeAllSockets();
    await server?.close();
  });

  async function openApp(username: string, viewport: ViewportName): Promise<Page> {
    const context = await browser.newContext({ viewport: VIEWPORTS[viewport] });
    await context.addInitScript(SIGNAL_RECORDER);
    const page = await context.newPage();
    await page.goto(server.url);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Pages' }).waitFor();
    return page;
  }

  async function openAlertsPage(page: Page) {
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Alerts', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Alerts' }).waitFor();
  }

  const signals = (page: Page) =>
    page.evaluate(() => (window as unknown as { alertSignals: { notifications: { title: string; body: string }[]; tones: number } }).alertSignals);
  const alertCount = (page: Page) => page.locator('.alert-count');
  const row = (page: Page, id: number) => page.locator(`.board-table tr[data-agent-id="${id}"]`);

  async function fits(page: Page) {
    const fit = await horizontalFit(page);
    expect(fit.scrollWidth).toBeLessThanOrEqual(fit.innerWidth);
  }

  for (const viewport of ['desktop', 'phone'] as const) {
    it(`${viewport}: an administrator sets the default thresholds on the Alerts page`, async () => {
      const page = await openApp('admin', viewport);
      await openAlertsPage(page);
      const form = page.getByRole('form', { name: 'Default thresholds' });
      const values = { 'Long call': '300', 'Long hold': '60', 'Long Not ready': '600', 'Long Wrap-up': '90', 'Long queue wait': '45' };
      for (const [label, value] of Object.entries(values)) await form.getByLabel(`${label} (seconds)`).fill(value);
      await form.getByRole('button', { name: 'Save defaults' }).click();
      await form.getByText('Defaults saved: everyone’s alerts follow them now').waitFor();
      expect(await server.store.alertSettings.defaults()).toEqual({ longCall: 300, longHold: 60, longNotReady: 600, longWrapUp: 90, queueWait: 45 });
      await fits(page);
      await screenshot(page, `alerts-defaults-${viewport}`);
      expect(await seriousAxeViolations(page)).toEqual([]);
      await page.context().close();
    }, 60_000);

    it(`${viewport}: a manager may lower a threshold for himself, not raise it, and turns on notifications and sound`, async () => {
      const page = await openApp('manager.billing', viewport);
      await openAlertsPage(page);
      const form = page.getByRole('form', { name: 'My thresholds' });
      expect(await form.getByLabel('Long call (seconds)').getAttribute('placeholder')).toBe('Default 300');
      await form.getByLabel('Long call (seconds)').fill('400');
      await form.getByRole('button', { name: 'Save my thresholds' }).click();
      expect(await form.getByRole('alert').textContent()).toBe(
        "Long call: 400 seconds is longer than the administrator's 300 seconds. You may only lower a threshold.",
      );

      await form.getByLabel('Long call (seconds)').fill('120');
      await form.getByLabel('Long queue wait (seconds)').fill('30');
      await form.getByRole('button', { name: 'Save my thresholds' }).click();
      await form.getByText('Your thresholds are saved').waitFor();
      expect(await form.locator('label', { hasText: 'Long call' }).locator('.field-note').textContent()).toBe('In use: 120 s (2 min)');
      expect(await form.locator('label', { hasText: 'Long hold' }).locator('.field-note').textContent()).toBe('In use: 60 s (1 min)');

      const signalsForm = page.getByRole('group', { name: 'When a threshold is passed or an agent asks for help' });
      for (const label of ['Show a desktop notification', 'Play a sound']) {
        const box = signalsForm.getByLabel(label);
        // The box follows the server's answer: checked once the choice is stored.
        if (!(await box.isChecked())) await box.click();
        await expect.poll(() => box.isChecked()).toBe(true);
      }
      const managerId = await userId(server, 'manager.billing');
      await expect
        .poll(() => server.store.alertSettings.preferences(managerId))
        .toEqual({
          own: { longCall: 120, longHold: null, longNotReady: null, longWrapUp: null, queueWait: 30 },
          signals: { desktop: true, sound: true },
        });
      await fits(page);
      await screenshot(page, `alerts-own-${viewport}`);
      expect(await seriousAxeViolations(page)).toEqual([]);
      await page.context().close();
    }, 60_000);
  }

  it('desktop: at the instant the manager’s thresholds pass, the row and the queue are marked, the header counts them, a notification and a sound are raised', async () => {
    const t0 = server.clock.value;
    billing = await agentOnCall(server, 'agent.billing');
    server.clock.value = t0 + 90_000;
    server.simulator!.placeCall({ queue: 'Billing' });
    server.clock.value = t0 + 100_000;

    const page = await openApp('manager.billing', 'desktop');
    await page.getByText('6 agents in your scope').waitFor();
    await row(page, billing.userId).waitFor();
    // 100 s into the call, 10 s into the wait: within 120 s and 30 s.
    expect(await alertCount(page).textContent()).toBe('No alerts');
    expect(await row(page, billing.userId).locator('.alert-flag').count()).toBe(0);

    // 130 s: the agent puts the customer on hold; the board's message brings the floor's time with it.
    server.clock.value = t0 + 130_000;
    await ok(billing.socket, 'call:hold', { callId: billing.callId });
    await row(page, billing.userId).locator('.alert-flag').waitFor();
    expect(await row(page, billing.userId).locator('.alert-flag').allTextContents()).toEqual(['Long call']);
    expect(await row(page, billing.userId).getAttribute('class')).toContain('alerted');
    const billingQueue = page
      .getByRole('region', { name: 'Queues' })
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { name: 'Billing', exact: true }) });
    expect(await billingQueue.locator('.alert-flag').textContent()).toBe('Long queue wait');
    expect(await alertCount(page).textContent()).toBe('2 alerts');
    expect(await alertCount(page).getAttribute('title')).toBe('2 past a threshold, 0 help requests');

    await expect
      .poll(async () => (await signals(page)).notifications.map((n) => n.title).sort())
      .toEqual([`Long call: ${name('agent.billing')}`, 'Long queue wait: Queue Billing'].sort());
    expect((await signals(page)).tones).toBe(2); // one chime: two tones
    await fits(page);
    await screenshot(page, 'alerts-board-desktop');

    // The administrator's thresholds are his own: 300 s for a call, 45 s for a wait. Only the queue is past.
    const adminPage = await openApp('admin', 'desktop');
    await adminPage.getByText('20 agents in your scope').waitFor();
    await adminPage.locator('.queue-alerted').waitFor();
    expect(await row(adminPage, billing.userId).locator('.alert-flag').count()).toBe(0);
    expect(await alertCount(adminPage).textContent()).toBe('1 alert');
    // Signals are off until a user turns them on.
    expect(await signals(adminPage)).toEqual({ notifications: [], tones: 0 });
    await adminPage.context().close();
    await page.context().close();
  }, 60_000);

  for (const viewport of ['desktop', 'phone'] as const) {
    it(`${viewport}: a help alert's Listen starts a monitor on the agent's call; a team lead without Live Monitor is not offered it`, async () => {
      if ((await ok(billing.socket, 'agent:attach', {})).help === null) await ok(billing.socket, 'help:request', { message: 'Refund over my limit' });
      const page = await openApp('manager.billing', viewport);
      const alert = page.getByRole('alert').filter({ hasText: `${name('agent.billing')} asks for help` });
      await alert.waitFor();
      // The marks and the count: the long call, the queue's wait, the help request.
      await row(page, billing.userId).locator('.alert-flag').first().waitFor();
      expect(await row(page, billing.userId).locator('.alert-flag').allTextContents()).toEqual(['Long call']);
      expect(await row(page, billing.userId).locator('.help-flag').textContent()).toBe('Help');
      expect(await alertCount(page).textContent()).toBe('3 alerts');
      await fits(page);
      await screenshot(page, `alerts-help-${viewport}`);

      await alert.getByRole('button', { name: `Listen to the call of ${name('agent.billing')}` }).click();
      const card = page.getByRole('article', { name: `Session with ${name('agent.billing')}` });
      await expect.poll(() => card.getByTestId('session-mode').textContent()).toBe('Monitor');
      const managerId = await userId(server, 'manager.billing');
      expect(server.floor.supervision.sessionsOf(managerId).map((s) => ({ agentId: s.agentId, mode: s.mode }))).toEqual([
        { agentId: billing.userId, mode: 'monitor' },
      ]);
      expect(await alert.getByRole('button', { name: /^Listen/ }).count()).toBe(0);
      await fits(page);
      await screenshot(page, `alerts-listen-${viewport}`);
      await card.getByRole('button', { name: 'Stop', exact: true }).click();
      await expect.poll(() => server.floor.supervision.sessionsOf(managerId).length).toBe(0);
      await page.context().close();

      const lead = await openApp('lead', viewport);
      const leadAlert = lead.getByRole('alert').filter({ hasText: `${name('agent.billing')} asks for help` });
      await leadAlert.waitFor();
      await lead.getByRole('button', { name: `Acknowledge the help request of ${name('agent.billing')}` }).waitFor();
      expect(await leadAlert.getByRole('button').allTextContents()).toEqual([`Acknowledge the help request of ${name('agent.billing')}`]);
      await lead.context().close();
    }, 60_000);
  }
});
