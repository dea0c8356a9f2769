import { expect, it } from 'vitest';
import { describeWithBrowser } from '../support/browser.js';
import { builtAppsInBrowser, expectFitsViewport } from '../support/builtApps.js';
import { userId } from '../support/harness.js';
import { screenshot } from '../support/pageChecks.js';

describeWithBrowser('help requests that finish, in both apps (Chromium, built apps, real server)', () => {
  const apps = builtAppsInBrowser();

  for (const [viewport, agentName, managerName] of [
    ['desktop', 'agent.billing', 'manager.billing'],
    ['phone', 'agent.sales', 'manager.sales'],
  ] as const) {
    it(`${viewport}: the agent asks with a message, the manager is on the way, the agent adds to it and cancels; a long message is refused with a sentence`, async () => {
      const desk = await apps.signIn('/agent', agentName, viewport);
      await desk.getByRole('button', { name: 'Go available' }).click();
      await desk.getByRole('heading', { name: 'Waiting for a call' }).waitFor();
      const agentId = await userId(apps.server, agentName);
      apps.server.simulator!.placeCall({ toUserId: agentId });
      apps.server.simulator!.tick();
      await desk.getByRole('button', { name: 'Answer' }).click();
      await desk.getByRole('heading', { name: 'On a call' }).waitFor();

      const help = desk.getByRole('complementary', { name: 'Help and settings' });
      await help.getByLabel('Message for your supervisor (optional)').fill('x'.repeat(201));
      await help.getByRole('button', { name: 'Ask for help' }).click();
      expect(await help.getByRole('alert').textContent()).toBe('The message to your supervisor can be at most 200 characters');
      expect(apps.server.floor.help.openFor(agentId)).toBeNull();
      await help.getByLabel('Message for your supervisor (optional)').fill('Customer wants a refund over my limit');
      await help.getByRole('button', { name: 'Ask for help' }).click();
      await help.getByRole('status').filter({ hasText: 'Waiting for a supervisor since' }).waitFor();

      const board = await apps.signIn('/', managerName, viewport);
      const alert = board.getByRole('region', { name: 'Help requests' }).getByRole('alert');
      await alert.filter({ hasText: 'Customer wants a refund over my limit' }).waitFor();
      await expectFitsViewport(board);
      await screenshot(board, `help-alert-${viewport}`);
      const agentDisplay = apps.server.floor.directory.name(agentId);
      await alert.getByRole('button', { name: `Acknowledge the help request of ${agentDisplay}` }).click();
      const onTheWay = board.getByRole('region', { name: 'Help you are giving' });
      await onTheWay.getByText(`You are on the way to ${agentDisplay}`).waitFor();

      const manager = apps.server.floor.directory.name(await userId(apps.server, managerName));
      await help
        .getByRole('status')
        .filter({ hasText: `${manager} is on the way` })
        .waitFor();
      await help.getByLabel('Add a message for your supervisor').fill('He is asking for the director now');
      await help.getByRole('button', { name: 'Send message' }).click();
      await onTheWay.getByText('He is asking for the director now').waitFor();
      await expectFitsViewport(desk);
      await screenshot(desk, `help-on-the-way-desk-${viewport}`);
      await expectFitsViewport(board);
      await screenshot(board, `help-on-the-way-board-${viewport}`);

      await help.getByRole('button', { name: 'Cancel help request' }).click();
      await help.getByRole('status').filter({ hasText: 'You cancelled your help request.' }).waitFor();
      await onTheWay.waitFor({ state: 'detached' });
      expect(apps.server.floor.help.openFor(agentId)).toBeNull();
      await help.getByRole('button', { name: 'Ask for help' }).waitFor();
      await expectFitsViewport(desk);
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
