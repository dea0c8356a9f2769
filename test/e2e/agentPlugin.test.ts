import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../server/src/app.js';
import { ARTIFACTS_DIR, describeWithBrowser, launchBrowser } from '../support/browser.js';
import { closeAllSockets, connectAs, ok, startTestServer, userId, type TestServer } from '../support/harness.js';

const AGENT_APP = fileURLToPath(new URL('../../agent-client/demo-dist/index.html', import.meta.url));

describeWithBrowser('the demo desktop agent', () => {
  let server: TestServer;
  let browser: Browser;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(AGENT_APP)) throw new Error('The demo desktop agent is not built: run "npm run build" (npm test does) first');
    server = await startTestServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    closeAllSockets();
    await server?.close();
    expect(pageErrors).toEqual([]);
  });

  /** A fresh browser profile at an agent's screen size, signed in to /agent. */
  async function signIn(username: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(`${username}: ${e.message}`));
    await page.goto(`${server.url}/agent`);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'You are logged out of the phone' }).waitFor();
    return page;
  }

  /** Available, then a simulated customer calls this agent, who answers in the page. */
  async function takeSimulatedCall(page: Page, username: string) {
    await page.getByRole('button', { name: 'Go available' }).click();
    await page.getByRole('heading', { name: 'Waiting for a call' }).waitFor();
    const agentId = await userId(server, username);
    server.simulator!.placeCall({ toUserId: agentId });
    server.simulator!.tick();
    await page.getByRole('heading', { name: 'Incoming call' }).waitFor();
    await page.getByRole('button', { name: 'Answer' }).click();
    await page.getByRole('heading', { name: 'On a call' }).waitFor();
    expect(server.floor.phoneOf(agentId).state).toBe('talking');
    return { agentId, callId: server.floor.phoneOf(agentId).call!.callId };
  }

  const notices = (page: Page) => page.locator('.earshot-notice');
  const announced = (page: Page) => page.locator('.earshot-notices [aria-live]').allTextContents();

  it('monitor → the notice naming the supervisor within 1 s; coach updates it; stop removes it', async () => {
    const page = await signIn('agent.billing');
    const { agentId } = await takeSimulatedCall(page, 'agent.billing');
    const manager = (await connectAs(server.url, 'manager.billing')).socket;

    const asked = Date.now();
    const starting = ok(manager, 'supervise:start', { agentId, mode: 'monitor' });
    await page.locator('.earshot-notice[data-mode="monitor"]', { hasText: 'Ava Hill is listening to your call' }).waitFor({ timeout: 1000 });
    expect(Date.now() - asked).toBeLessThan(1000);
    const { session } = await starting;
    expect(await notices(page).count()).toBe(1);
    expect(await notices(page).locator('.earshot-notice__mode').textContent()).toBe('Monitoring');
    expect(await notices(page).locator('.earshot-notice__text').textContent()).toBe('Ava Hill is listening to your call');
    expect(await announced(page)).toEqual(['Ava Hill is listening to your call. Nobody hears them.', '']);
    await page.screenshot({ path: `${ARTIFACTS_DIR}agent-notice-monitor.png`, animations: 'disabled' });

    await ok(manager, 'supervise:mode', { sessionId: session.sessionId, mode: 'coach' });
    await page.locator('.earshot-notice[data-mode="coach"]').waitFor();
    expect(await notices(page).count()).toBe(1);
    expect(await notices(page).locator('.earshot-notice__mode').textContent()).toBe('Coaching');
    expect(await notices(page).locator('.earshot-notice__text').textContent()).toBe('Ava Hill is coaching you');
    expect(await announced(page)).toEqual(['Ava Hill is coaching you. Only you hear them; the customer does not.', '']);
    await page.screenshot({ path: `${ARTIFACTS_DIR}agent-notice-coach.png`, animations: 'disabled' });

    await ok(manager, 'supervise:stop', { sessionId: session.sessionId });
    await notices(page).first().waitFor({ state: 'detached' });
    expect(await announced(page)).toEqual(['Ava Hill stopped coaching you.', '']);
    expect(await page.getByText('Ava Hill').count()).toBe(1); // the announcement only
  });

  it('the agent pauses the recording for a card payment after confirming, and resumes it', async () => {
    const page = await signIn('agent.sales');
    const { agentId } = await takeSimulatedCall(page, 'agent.sales');
    const indicator = page.getByRole('group', { name: 'Call recording' });
    await indicator.getByRole('button', { name: 'Start recording' }).click();
    await page.locator('.earshot-recording[data-state="on"]').waitFor();

    await indicator.getByRole('button', { name: 'Pause for card payment' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Pause the recording?' });
    await dialog.waitFor();
    await page.screenshot({ path: `${ARTIFACTS_DIR}agent-recording-confirm.png`, animations: 'disabled' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(server.floor.phoneOf(agentId).call!.recording).toBe('on');

    await indicator.getByRole('button', { name: 'Pause for card payment' }).click();
    await dialog.getByRole('button', { name: 'Pause recording' }).click();
    await page.locator('.earshot-recording[data-state="paused"]').waitFor();
    expect(await page.locator('.earshot-recording__label').textContent()).toBe('Recording paused by you');
    expect(server.floor.phoneOf(agentId).call!.recording).toBe('paused');

    await indicator.getByRole('button', { name: 'Resume recording' }).click();
    await page.getByRole('alertdialog', { name: 'Resume the recording?' }).getByRole('button', { name: 'Resume recording' }).click();
    await page.locator('.earshot-recording[data-state="on"]').waitFor();
    expect(server.floor.phoneOf(agentId).call!.recording).toBe('on');
  });

  it('an agent whose profile lacks Live Monitoring Notifications sees nothing', async () => {
    const page = await signIn('privileged.support');
    const { agentId } = await takeSimulatedCall(page, 'privileged.support');
    const manager = (await connectAs(server.url, 'manager.support')).socket;
    await ok(manager, 'supervise:start', { agentId, mode: 'monitor' });

    // After the session started, the agent starts the recording: its notice comes down the same connection
    // after any supervision notice would have, so once it shows, a notice would show too.
    await page.getByRole('button', { name: 'Start recording' }).click();
    await page.locator('.earshot-recording[data-state="on"]').waitFor();
    expect(await notices(page).count()).toBe(0);
    expect(await announced(page)).toEqual(['', '']);
    expect(await page.getByText('Maya Baker').count()).toBe(0);
    await page.screenshot({ path: `${ARTIFACTS_DIR}agent-no-notifications.png`, animations: 'disabled' });
  });
});
