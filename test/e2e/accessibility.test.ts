import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { describeWithBrowser } from '../support/browser.js';
import { builtAppsInBrowser, expectFitsViewport } from '../support/builtApps.js';
import { agentOnCall } from '../support/floor.js';
import { connectAs, ok, userId } from '../support/harness.js';
import { screenshot, seriousAxeViolations, type ViewportName } from '../support/pageChecks.js';

/**
 * axe-core over whole pages, as people meet them (issue 13: no serious or critical violation on the board, the queue
 * panel, the audit log and the agent desk), at the laptop and the phone size.
 */
describeWithBrowser('accessibility of the board and the agent desk (axe-core, Chromium, built apps, real server)', () => {
  const apps = builtAppsInBrowser();

  beforeAll(async () => {
    const { server } = apps;
    // Every state a row can be in: simulated agents log in and answer, one person holds a call and asks for help,
    // one is on a break, one wraps up, the rest are available or logged out; callers wait in a queue.
    server.simulator!.tick();
    server.clock.advance(1000);
    server.simulator!.tick();
    for (const username of ['sim.billing.2', 'sim.sales.2', 'sim.support.2']) {
      server.simulator!.placeCall({ toUserId: await userId(server, username) });
      server.simulator!.tick();
    }
    server.clock.advance(5000);
    server.simulator!.tick();
    const held = await agentOnCall(server, 'privileged.support');
    await ok(held.socket, 'call:hold', { callId: held.callId });
    await ok(held.socket, 'help:request', { message: 'Customer asks for a refund over my limit' });
    const wrapping = await agentOnCall(server, 'agent.support');
    await ok(wrapping.socket, 'call:hangUp', { callId: wrapping.callId });
    const onBreak = await connectAs(server.url, 'sim.support.3');
    await ok(onBreak.socket, 'agent:attach', {});
    await ok(onBreak.socket, 'agent:status', { status: 'notReady', reason: 'Break' });
    server.simulator!.placeCall({ queue: 'Sales' });
    server.clock.advance(25_000);
  });

  for (const viewport of ['desktop', 'phone'] as const satisfies readonly ViewportName[]) {
    it(`${viewport}: the whole Live board, with agents talking, on hold, on a break, in wrap-up, available and logged out, a help alert, the queues and an agent's panel`, async () => {
      const page = await apps.signIn('/', 'admin', viewport);
      await page.getByRole('heading', { level: 1, name: 'Live board' }).waitFor();
      const board = page.locator('.board-table');
      for (const state of ['talking', 'held', 'notReady', 'wrapUp', 'available', 'loggedOut']) await board.locator(`.state-${state}`).first().waitFor();
      await page.getByRole('region', { name: 'Help requests' }).getByRole('alert').waitFor();
      await page.getByRole('region', { name: 'Queues' }).locator('.queue-over').waitFor();
      expect(await seriousAxeViolations(page)).toEqual([]);
      await expectFitsViewport(page);
      await screenshot(page, `a11y-board-${viewport}`);

      const agent = apps.server.floor.directory.name(await userId(apps.server, 'privileged.support'));
      await page.getByRole('button', { name: agent, exact: true }).click();
      const panel = page.getByRole('complementary', { name: `Agent ${agent}` });
      await panel.getByRole('button', { name: 'Monitor' }).waitFor();
      await panel.scrollIntoViewIfNeeded();
      expect(await seriousAxeViolations(page)).toEqual([]);
      await expectFitsViewport(page);
      await screenshot(page, `a11y-board-agent-panel-${viewport}`);
      await page.context().close();
    }, 60_000);
  }

  async function deskOnACall(username: string, viewport: ViewportName): Promise<{ page: Page; agentId: number; callId: string }> {
    const page = await apps.signIn('/agent', username, viewport);
    await page.getByRole('button', { name: 'Go available' }).click();
    await page.getByRole('heading', { name: 'Waiting for a call' }).waitFor();
    const agentId = await userId(apps.server, username);
    apps.server.simulator!.placeCall({ toUserId: agentId });
    apps.server.simulator!.tick();
    await page.getByRole('button', { name: 'Answer' }).click();
    await page.getByRole('heading', { name: 'On a call' }).waitFor();
    return { page, agentId, callId: apps.server.floor.phoneOf(agentId).call!.callId };
  }

  for (const [viewport, username, managerName] of [
    ['desktop', 'agent.billing', 'manager.billing'],
    ['phone', 'agent.sales', 'manager.sales'],
  ] as const) {
    it(`${viewport}: the agent desk, signed in and on a call, coached and recorded, with its notices`, async () => {
      const { page, agentId, callId } = await deskOnACall(username, viewport);
      expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
      const manager = await connectAs(apps.server.url, managerName);
      await ok(manager.socket, 'supervise:start', { agentId, mode: 'coach' });
      await ok(manager.socket, 'recording:start', { callId });
      await page.locator('.earshot-notice[data-mode="coach"]').waitFor();
      await page
        .getByRole('group', { name: 'Call recording' })
        .getByRole('status')
        .filter({ hasText: `Recording by ${manager.login.me.displayName}` })
        .waitFor();
      expect(await seriousAxeViolations(page)).toEqual([]);
      await expectFitsViewport(page);
      await screenshot(page, `a11y-agent-desk-${viewport}`);
      await page.context().close();
    }, 60_000);
  }
});
