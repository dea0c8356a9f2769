import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { DEMO_PASSWORD } from '../../server/src/app.js';
import { connectAs, ok, userId, type TestServer } from '../support/harness.js';

/**
 * The worked hosts of the embedding guide (agent-client/examples) share their labels: the agent signs in,
 * goes available, answers a simulated call in the host's own softphone, and a manager starts monitoring
 * over socket.io. Resolves with the manager's name once the page shows the notice naming them.
 */
export async function monitoredInHost(page: Page, server: TestServer, team: 'billing' | 'sales' | 'support'): Promise<string> {
  await page.getByLabel('Username').fill(`agent.${team}`);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Go available' }).click();
  await page.locator('output', { hasText: /^available$/ }).waitFor();

  const agentId = await userId(server, `agent.${team}`);
  server.simulator!.placeCall({ toUserId: agentId });
  server.simulator!.tick();
  await page.getByRole('button', { name: 'Answer' }).click();
  await page.locator('output', { hasText: /^talking$/ }).waitFor();
  expect(server.floor.phoneOf(agentId).state).toBe('talking');

  const { socket: manager, login } = await connectAs(server.url, `manager.${team}`);
  await ok(manager, 'supervise:start', { agentId, mode: 'monitor' });
  const name = login.me.displayName;
  await page.locator('.earshot-notice[data-mode="monitor"]', { hasText: `${name} is listening to your call` }).waitFor();
  return name;
}
