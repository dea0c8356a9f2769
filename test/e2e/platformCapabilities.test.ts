import type { PlatformCapabilities } from '@earshot/shared';
import { expect, it } from 'vitest';
import { describeWithBrowser } from '../support/browser.js';
import { builtAppsInBrowser, expectFitsViewport, type BuiltApps } from '../support/builtApps.js';
import { userId } from '../support/harness.js';
import { screenshot, type ViewportName } from '../support/pageChecks.js';
import { ScriptedPlatform } from '../support/scriptedPlatform.js';

/**
 * docs/architecture.md "Telephony platforms": a platform "declares what it can do; the apps offer only that".
 * The built supervisor app and agent desk on a platform that carries neither barge nor take over, and no
 * hold from the desk: no button for them anywhere, and a note that says why. On the full simulator: all of
 * them, and no note.
 */
const NO_BARGE_NO_TAKE_OVER_NO_HOLD: PlatformCapabilities = {
  name: 'scripted',
  modes: ['monitor', 'coach'],
  recording: true,
  agentControls: ['answer', 'unhold', 'hangUp'],
};

/** One agent per screen size, so each test has a call of its own. */
const AGENT_FOR: Record<ViewportName, string> = { desktop: 'agent.billing', phone: 'agent.sales' };

interface Expected {
  /** The desk's buttons on a call. */
  deskActions: string[];
  /** What the desk says to do on the phone instead; null: nothing. */
  deskOnPhone: string | null;
  /** The agent panel's supervise buttons. */
  startModes: string[];
  /** The session card's switch, while monitoring. */
  switchModes: string[];
  /** The supervisor app's note on what the platform does not carry; null: none. */
  note: string | null;
}

/**
 * The agent takes a call in the desk, an Administrator (who holds every mode) picks them on the board and
 * starts monitoring: what each screen offers, at `viewport`.
 */
async function offeredOnACall(apps: BuiltApps, viewport: ViewportName, ring: (username: string) => Promise<void>, expected: Expected, shot: string) {
  const username = AGENT_FOR[viewport];
  const desk = await apps.signIn('/agent', username, viewport);
  await desk.getByRole('button', { name: 'Go available' }).click();
  await desk.getByRole('heading', { name: 'Waiting for a call' }).waitFor();
  await ring(username);
  await desk.getByRole('button', { name: 'Answer' }).click();
  await desk.getByRole('heading', { name: 'On a call' }).waitFor();
  const actions = desk.locator('.call__actions');
  expect((await actions.getByRole('button').allTextContents()).map((t) => t.trim())).toEqual(expected.deskActions);
  expect(await actions.locator('.call__on-phone').allTextContents()).toEqual(expected.deskOnPhone === null ? [] : [expected.deskOnPhone]);
  await expectFitsViewport(desk, { boxes: true });
  await screenshot(desk, `${shot}-desk-${viewport}`);

  const agentName = apps.server.floor.directory.name(await userId(apps.server, username));
  const page = await apps.signIn('/', 'admin', viewport);
  await page.getByRole('button', { name: agentName, exact: true }).click();
  const panel = page.getByRole('complementary', { name: `Agent ${agentName}` });
  const startGroup = panel.getByRole('group', { name: 'Supervise' });
  await startGroup.getByRole('button', { name: 'Monitor' }).waitFor();
  expect(await startGroup.getByRole('button').allTextContents()).toEqual(expected.startModes);
  expect(await panel.getByTestId('platform-note').allTextContents()).toEqual(expected.note === null ? [] : [expected.note]);
  await expectFitsViewport(page, { boxes: true });
  await panel.scrollIntoViewIfNeeded();
  await screenshot(page, `${shot}-panel-${viewport}`);

  await startGroup.getByRole('button', { name: 'Monitor' }).click();
  const card = page.getByRole('region', { name: 'Your supervision sessions' }).getByRole('article', { name: `Session with ${agentName}` });
  await card.getByTestId('session-mode').filter({ hasText: 'Monitor' }).waitFor();
  expect(await card.getByRole('group', { name: 'Switch mode' }).getByRole('button').allTextContents()).toEqual(expected.switchModes);
  expect(await card.getByTestId('platform-note').allTextContents()).toEqual(expected.note === null ? [] : [expected.note]);
  // Nowhere on the page a button for a mode the platform does not carry.
  for (const mode of ['Monitor', 'Coach', 'Barge', 'Take over']) {
    const offered = expected.startModes.includes(mode) || expected.switchModes.includes(mode);
    expect((await page.getByRole('button', { name: mode, exact: true }).count()) > 0, mode).toBe(offered);
  }
  await expectFitsViewport(page, { boxes: true });
  await screenshot(page, `${shot}-dock-${viewport}`);

  await card.getByRole('button', { name: 'Stop', exact: true }).click();
  await card.waitFor({ state: 'detached' });
  await page.context().close();
  await desk.context().close();
}

describeWithBrowser('a platform without barge, take over and hold: neither app offers them, both say why (Chromium, built apps)', () => {
  const platform = new ScriptedPlatform(NO_BARGE_NO_TAKE_OVER_NO_HOLD);
  const apps = builtAppsInBrowser({ platform });

  /** The platform offers a call on the agent's endpoint (the demo floor's phone of theirs). */
  const ring = async (username: string) => {
    const endpoint = apps.server.floor.directory.endpointOf(await userId(apps.server, username))!;
    platform.host.agent({
      type: 'offered',
      endpoint,
      call: { callId: `pbx-${username}`, queue: 'Billing', direction: 'inbound', remoteNumber: '+15550001234' },
    });
  };

  for (const viewport of ['desktop', 'phone'] as const) {
    it(`${viewport}: the desk has no Hold and says to hold from the phone; the panel and the session card offer Monitor and Coach, with the note`, async () => {
      platform.take();
      await offeredOnACall(
        apps,
        viewport,
        ring,
        {
          deskActions: ['Hang up'],
          deskOnPhone: 'Hold the call from your phone: the telephony platform (scripted) does not let this desk do it',
          startModes: ['Monitor', 'Coach'],
          switchModes: ['Coach'],
          note: 'Barge and Take over are not offered: the telephony platform (scripted) does not carry them',
        },
        'platform-scripted',
      );
      const username = AGENT_FOR[viewport];
      const phone = apps.server.floor.directory.endpointOf(await userId(apps.server, username));
      // What the apps asked of the platform: the desk's answer, then the supervisor's leg, opened and closed.
      expect(platform.take()).toEqual([
        `agentControl pbx-${username} ${phone} answer`,
        `openSupervisorLeg pbx-${username} ${phone} monitor`,
        'closeSupervisorLeg',
      ]);
    }, 60_000);
  }
});

describeWithBrowser('the full simulator: both apps offer every mode and control, with no note (Chromium, built apps)', () => {
  const apps = builtAppsInBrowser();

  const ring = async (username: string) => {
    apps.server.simulator!.placeCall({ toUserId: await userId(apps.server, username) });
    apps.server.simulator!.tick();
  };

  for (const viewport of ['desktop', 'phone'] as const) {
    it(`${viewport}: the desk offers Hold; the panel and the session card offer every mode`, async () => {
      await offeredOnACall(
        apps,
        viewport,
        ring,
        {
          deskActions: ['Hold', 'Hang up'],
          deskOnPhone: null,
          startModes: ['Monitor', 'Coach', 'Barge', 'Take over'],
          switchModes: ['Coach', 'Barge', 'Take over'],
          note: null,
        },
        'platform-simulator',
      );
    }, 60_000);
  }
});
