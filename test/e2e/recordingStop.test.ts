import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../server/src/app.js';
import { describeWithBrowser, launchBrowser } from '../support/browser.js';
import { closeAllSockets, connectAs, ok, startTestServer, userId, type TestServer } from '../support/harness.js';
import { horizontalFit, screenshot, seriousAxeViolations, VIEWPORTS, type ViewportName } from '../support/pageChecks.js';

const AGENT_APP = fileURLToPath(new URL('../../agent-client/demo-dist/index.html', import.meta.url));
const SUPERVISOR_APP = fileURLToPath(new URL('../../supervisor-client/dist/index.html', import.meta.url));

describeWithBrowser('stopping a recording, in both apps (Chromium, built apps, real server)', () => {
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

  async function agentDesk(username: string, viewport: ViewportName): Promise<Page> {
    const page = await (await browser.newContext({ viewport: VIEWPORTS[viewport] })).newPage();
    await page.goto(`${server.url}/agent`);
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'You are logged out of the phone' }).waitFor();
    return page;
  }

  async function answerACall(page: Page, username: string): Promise<{ agentId: number; callId: string }> {
    await page.getByRole('button', { name: 'Go available' }).click();
    await page.getByRole('heading', { name: 'Waiting for a call' }).waitFor();
    const agentId = await userId(server, username);
    server.simulator!.placeCall({ toUserId: agentId });
    server.simulator!.tick();
    await page.getByRole('button', { name: 'Answer' }).click();
    await page.getByRole('heading', { name: 'On a call' }).waitFor();
    return { agentId, callId: server.floor.phoneOf(agentId).call!.callId };
  }

  const fits = async (page: Page) => {
    const fit = await horizontalFit(page);
    expect(fit.scrollWidth).toBeLessThanOrEqual(fit.innerWidth);
  };

  for (const [viewport, username] of [['desktop', 'agent.billing'], ['phone', 'agent.sales']] as const) {
    it(`${viewport}: the agent sees the recording a supervisor started, and stops it on their own call; the desk passes axe`, async () => {
      const page = await agentDesk(username, viewport);
      await screenshot(page, `agent-desk-logged-out-${viewport}`);
      const { agentId, callId } = await answerACall(page, username);
      const manager = await connectAs(server.url, username === 'agent.billing' ? 'manager.billing' : 'manager.sales');
      await ok(manager.socket, 'recording:start', { callId });
      const indicator = page.getByRole('group', { name: 'Call recording' });
      await indicator.getByRole('status').filter({ hasText: `Recording by ${manager.login.me.displayName}` }).waitFor();
      await fits(page);
      await screenshot(page, `agent-desk-recording-${viewport}`);
      expect(await seriousAxeViolations(page)).toEqual([]);

      await indicator.getByRole('button', { name: 'Stop recording' }).click();
      await indicator.getByRole('status').filter({ hasText: 'Not recorded' }).waitFor();
      expect(server.floor.phoneOf(agentId).call!.recording).toBe('off');
      const { records } = await ok(manager.socket, 'recording:start', { callId }).then(async () =>
        ok((await connectAs(server.url, 'admin')).socket, 'audit:query', { action: 'recording:stop' }),
      );
      expect(records.some((r) => r.targetId === callId && r.actorId === agentId && r.outcome === 'ok')).toBe(true);
      await fits(page);
      await page.context().close();
    }, 60_000);
  }

  for (const [viewport, username, shown] of [['desktop', 'privileged.support', 'Pat Privileged'], ['phone', 'agent.support', null]] as const) {
    it(`${viewport}: a Manager records the call and stops it from the agent panel`, async () => {
      const agent = await connectAs(server.url, username);
      const name = shown ?? agent.login.me.displayName;
      await ok(agent.socket, 'agent:attach', {});
      await ok(agent.socket, 'agent:status', { status: 'available' });
      const agentId = await userId(server, username);
      server.simulator!.placeCall({ toUserId: agentId });
      server.simulator!.tick();
      await ok(agent.socket, 'call:answer', { callId: server.floor.phoneOf(agentId).call!.callId });

      const page = await (await browser.newContext({ viewport: VIEWPORTS[viewport] })).newPage();
      await page.goto(server.url);
      await page.getByLabel('Username').fill('manager.support');
      await page.getByLabel('Password').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('button', { name, exact: true }).click();
      const panel = page.getByRole('complementary', { name: `Agent ${name}` });
      await panel.getByRole('button', { name: 'Record' }).click();
      await panel.getByRole('button', { name: 'Stop recording' }).waitFor();
      expect(server.floor.phoneOf(agentId).call!.recording).toBe('on');
      await panel.scrollIntoViewIfNeeded();
      await screenshot(page, `agent-panel-recording-${viewport}`);
      await panel.getByRole('button', { name: 'Stop recording' }).click();
      await panel.getByRole('button', { name: 'Record' }).waitFor();
      expect(server.floor.phoneOf(agentId).call!.recording).toBe('off');
      await fits(page);
      await page.context().close();
    }, 60_000);
  }
});
