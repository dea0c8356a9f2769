import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../server/src/app.js';
import { describeWithBrowser, launchBrowser } from '../support/browser.js';
import { closeAllSockets, startTestServer, userId, type TestServer } from '../support/harness.js';
import { horizontalFit, screenshot, VIEWPORTS, type ViewportName } from '../support/pageChecks.js';

const AGENT_APP = fileURLToPath(new URL('../../agent-client/demo-dist/index.html', import.meta.url));
const SUPERVISOR_APP = fileURLToPath(new URL('../../supervisor-client/dist/index.html', import.meta.url));

describeWithBrowser('help requests that finish, in both apps (Chromium, built apps, real server)', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    for (const app of [AGENT_APP, SUPERVISOR_APP]) if (!existsSync(app)) throw new Error(`${app} is missing: run "npm run build" first (npm test does)`);
    server = await startTestServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    closeAllSockets();
    await server?.close();
  });

  async function signIn(path: string, username: string, viewport: ViewportName): Promise<Page> {
    const page = await (await browser.newContext({ viewport: VIEWPORTS[viewport] })).newPage();
    await page.goto(`${server.url}${path}`);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    return page;
  }

  const fits = async (page: Page) => {
    const fit = await horizontalFit(page);
    expect(fit.scrollWidth).toBeLessThanOrEqual(fit.innerWidth);
  };

  for (const [viewport, agentName, managerName] of [['desktop', 'agent.billing', 'manager.billing'], ['phone', 'agent.sales', 'manager.sales']] as const) {
    it(`${viewport}: the agent asks with a message, the manager is on the way, the agent adds to it and cancels; a long message is refused with a sentence`, async () => {
      const desk = await signIn('/agent', agentName, viewport);
      await desk.getByRole('button', { name: 'Go available' }).click();
      await desk.getByRole('heading', { name: 'Waiting for a call' }).waitFor();
      const agentId = await userId(server, agentName);
      server.simulator!.placeCall({ toUserId: agentId });
      server.simulator!.tick();
      await desk.getByRole('button', { name: 'Answer' }).click();
      await desk.getByRole('heading', { name: 'On a call' }).waitFor();

      const help = desk.getByRole('complementary', { name: 'Help and settings' });
      await help.getByLabel('Message for your supervisor (optional)').fill('x'.repeat(201));
      await help.getByRole('button', { name: 'Ask for help' }).click();
      expect(await help.getByRole('alert').textContent()).toBe('The message to your supervisor can be at most 200 characters');
      expect(server.floor.help.openFor(agentId)).toBeNull();
      await help.getByLabel('Message for your supervisor (optional)').fill('Customer wants a refund over my limit');
      await help.getByRole('button', { name: 'Ask for help' }).click();
      await help.getByRole('status').filter({ hasText: 'Waiting for a supervisor since' }).waitFor();

      const board = await signIn('/', managerName, viewport);
      const alert = board.getByRole('region', { name: 'Help requests' }).getByRole('alert');
      await alert.filter({ hasText: 'Customer wants a refund over my limit' }).waitFor();
      await fits(board);
      await screenshot(board, `help-alert-${viewport}`);
      const agentDisplay = server.floor.directory.name(agentId);
      await alert.getByRole('button', { name: `Acknowledge the help request of ${agentDisplay}` }).click();
      const onTheWay = board.getByRole('region', { name: 'Help you are giving' });
      await onTheWay.getByText(`You are on the way to ${agentDisplay}`).waitFor();

      const manager = server.floor.directory.name(await userId(server, managerName));
      await help.getByRole('status').filter({ hasText: `${manager} is on the way` }).waitFor();
      await help.getByLabel('Add a message for your supervisor').fill('He is asking for the director now');
      await help.getByRole('button', { name: 'Send message' }).click();
      await onTheWay.getByText('He is asking for the director now').waitFor();
      await fits(desk);
      await screenshot(desk, `help-on-the-way-desk-${viewport}`);
      await fits(board);
      await screenshot(board, `help-on-the-way-board-${viewport}`);

      await help.getByRole('button', { name: 'Cancel help request' }).click();
      await help.getByRole('status').filter({ hasText: 'You cancelled your help request.' }).waitFor();
      await onTheWay.waitFor({ state: 'detached' });
      expect(server.floor.help.openFor(agentId)).toBeNull();
      await help.getByRole('button', { name: 'Ask for help' }).waitFor();
      await fits(desk);
      await screenshot(desk, `help-cancelled-desk-${viewport}`);

      // Asked again, the request ends with the call: the alert goes from the board.
      await help.getByRole('button', { name: 'Ask for help' }).click();
      await alert.waitFor();
      await desk.getByRole('button', { name: 'Hang up' }).click();
      await help.getByRole('status').filter({ hasText: 'Your help request ended with the call.' }).waitFor();
      await alert.waitFor({ state: 'detached' });
      await desk.context().close();
      await board.context().close();
    }, 90_000);
  }
});
