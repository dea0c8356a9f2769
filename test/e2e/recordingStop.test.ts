import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { describeWithBrowser } from '../support/browser.js';
import { answerOnDesk, builtAppsInBrowser, expectFitsViewport } from '../support/builtApps.js';
import { connectAs, ok, userId } from '../support/harness.js';
import { screenshot, seriousAxeViolations, type ViewportName } from '../support/pageChecks.js';

describeWithBrowser('stopping a recording, in both apps (Chromium, built apps, real server)', () => {
  const apps = builtAppsInBrowser();

  async function agentDesk(username: string, viewport: ViewportName): Promise<Page> {
    const page = await apps.signIn('/agent', username, viewport);
    await page.getByRole('heading', { name: 'You are logged out of the phone' }).waitFor();
    return page;
  }

  for (const [viewport, username] of [
    ['desktop', 'agent.billing'],
    ['phone', 'agent.sales'],
  ] as const) {
    it(`${viewport}: the agent sees the recording a supervisor started, and stops it on their own call; the desk passes axe`, async () => {
      const page = await agentDesk(username, viewport);
      await screenshot(page, `agent-desk-logged-out-${viewport}`);
      const { agentId, callId } = await answerOnDesk(page, apps.server, username);
      const manager = await connectAs(apps.server.url, username === 'agent.billing' ? 'manager.billing' : 'manager.sales');
      await ok(manager.socket, 'recording:start', { callId });
      const indicator = page.getByRole('group', { name: 'Call recording' });
      await indicator
        .getByRole('status')
        .filter({ hasText: `Recording by ${manager.login.me.displayName}` })
        .waitFor();
      await expectFitsViewport(page);
      await screenshot(page, `agent-desk-recording-${viewport}`);
      expect(await seriousAxeViolations(page)).toEqual([]);

      await indicator.getByRole('button', { name: 'Stop recording' }).click();
      await indicator.getByRole('status').filter({ hasText: 'Not recorded' }).waitFor();
      expect(apps.server.floor.phoneOf(agentId).call!.recording).toBe('off');
      const { records } = await ok(manager.socket, 'recording:start', { callId }).then(async () =>
        ok((await connectAs(apps.server.url, 'admin')).socket, 'audit:query', { action: 'recording:stop' }),
      );
      expect(records.some((r) => r.targetId === callId && r.actorId === agentId && r.outcome === 'ok')).toBe(true);
      await expectFitsViewport(page);
      await page.context().close();
    }, 60_000);
  }

  for (const [viewport, username, shown] of [
    ['desktop', 'privileged.support', 'Pat Privileged'],
    ['phone', 'agent.support', null],
  ] as const) {
    it(`${viewport}: a Manager records the call and stops it from the agent panel`, async () => {
      const agent = await connectAs(apps.server.url, username);
      const name = shown ?? agent.login.me.displayName;
      await ok(agent.socket, 'agent:attach', {});
      await ok(agent.socket, 'agent:status', { status: 'available' });
      const agentId = await userId(apps.server, username);
      apps.server.simulator!.placeCall({ toUserId: agentId });
      apps.server.simulator!.tick();
      await ok(agent.socket, 'call:answer', { callId: apps.server.floor.phoneOf(agentId).call!.callId });

      const page = await apps.signIn('/', 'manager.support', viewport);
      await page.getByRole('button', { name, exact: true }).click();
      const panel = page.getByRole('complementary', { name: `Agent ${name}` });
      await panel.getByRole('button', { name: 'Record' }).click();
      await panel.getByRole('button', { name: 'Stop recording' }).waitFor();
      expect(apps.server.floor.phoneOf(agentId).call!.recording).toBe('on');
      await panel.scrollIntoViewIfNeeded();
      await screenshot(page, `agent-panel-recording-${viewport}`);
      await panel.getByRole('button', { name: 'Stop recording' }).click();
      await panel.getByRole('button', { name: 'Record', exact: true }).waitFor();
      expect(apps.server.floor.phoneOf(agentId).call!.recording).toBe('off');
      await expectFitsViewport(page);
      await page.context().close();
    }, 60_000);
  }
});
