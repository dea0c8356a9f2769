import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { DEMO_PASSWORD } from '../../server/src/app.js';
import type { TelephonyPlatform } from '../../server/src/telephony/platform.js';
import { launchBrowser } from './browser.js';
import { closeAllSockets, startTestServer, userId, type TestServer } from './harness.js';
import { horizontalFit, VIEWPORTS, type ViewportName } from './pageChecks.js';

const BUILT_APPS = [
  fileURLToPath(new URL('../../agent-client/demo-dist/index.html', import.meta.url)),
  fileURLToPath(new URL('../../supervisor-client/dist/index.html', import.meta.url)),
];

export interface BuiltApps {
  readonly server: TestServer;
  readonly browser: Browser;
  /** A new page at `viewport` on the server's `path`, signed in as `username` with the demo password. */
  signIn(path: string, username: string, viewport: ViewportName | { width: number; height: number }): Promise<Page>;
}

/**
 * The built agent desk and supervisor app on a real server, in Chromium: started before the tests of the
 * describe block that calls this, closed after them. The server's telephony is the embedded simulator,
 * or `platform` (a scripted one) in its place.
 */
export function builtAppsInBrowser(options: { platform?: TelephonyPlatform } = {}): BuiltApps {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    for (const app of BUILT_APPS) if (!existsSync(app)) throw new Error(`${app} is missing: run "npm run build" first (npm test does)`);
    server = await startTestServer({}, undefined, options);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    closeAllSockets();
    await server?.close();
  });
  return {
    get server() {
      return server!;
    },
    get browser() {
      return browser!;
    },
    async signIn(path, username, viewport) {
      const page = await (await browser!.newContext({ viewport: typeof viewport === 'string' ? VIEWPORTS[viewport] : viewport })).newPage();
      await page.goto(`${server!.url}${path}`);
      await page.getByLabel('Username').fill(username);
      await page.getByLabel('Password').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      return page;
    },
  };
}

/** Nothing on the page is wider than the viewport; with `boxes`, nor does a box inside it scroll sideways. */
export async function expectFitsViewport(page: Page, options: { boxes?: boolean } = {}): Promise<void> {
  const fit = await horizontalFit(page, options);
  expect(fit.scrollWidth, `${fit.widest} reaches past the viewport`).toBeLessThanOrEqual(fit.innerWidth);
}

/** On the agent desk (signed in as `username`): Go available, a simulated customer calls, Answer; the call is on. */
export async function answerOnDesk(page: Page, server: TestServer, username: string): Promise<{ agentId: number; callId: string }> {
  await page.getByRole('button', { name: 'Go available' }).click();
  await page.getByRole('heading', { name: 'Waiting for a call' }).waitFor();
  const agentId = await userId(server, username);
  server.simulator!.placeCall({ toUserId: agentId });
  server.simulator!.tick();
  await page.getByRole('button', { name: 'Answer' }).click();
  await page.getByRole('heading', { name: 'On a call' }).waitFor();
  return { agentId, callId: server.floor.phoneOf(agentId).call!.callId };
}
