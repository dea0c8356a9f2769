import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../server/src/app.js';
import { describeWithBrowser, launchBrowser } from '../support/browser.js';
import { startTestServer, userId, type TestServer } from '../support/harness.js';

const SUPERVISOR_APP = fileURLToPath(new URL('../../supervisor-client/dist/index.html', import.meta.url));
const AGENT_APP = fileURLToPath(new URL('../../agent-client/demo-dist/index.html', import.meta.url));
const FAKE_MEDIA = ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', '--autoplay-policy=no-user-gesture-required'];
const UNTIL = { timeout: 10_000 };
/** A bound on a hang of a whole browser flow on a loaded machine, not a latency the test asserts. */
const BROWSER_TEST_MS = 90_000;

/** Records every CSP violation the page meets, from the first script on. */
const RECORD_VIOLATIONS = `window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));`;

/**
 * The built apps under the server's Content-Security-Policy: everything they do (sign in, every admin
 * page, the audio worklet, the media socket, playing a call) works, and the browser reports no violation.
 */
describeWithBrowser('the apps under the Content-Security-Policy (Chromium)', () => {
  let server: TestServer;
  let browser: Browser;
  const problems: string[] = [];
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    for (const app of [SUPERVISOR_APP, AGENT_APP]) if (!existsSync(app)) throw new Error(`${app} is missing: run "npm run build" first (npm test does)`);
    server = await startTestServer();
    server.media.start();
    browser = await launchBrowser(FAKE_MEDIA);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function newPage(who: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    contexts.push(context);
    await context.addInitScript(RECORD_VIOLATIONS);
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`${who}: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`${who} console: ${m.text()}`);
    });
    return page;
  }
  const violations = (page: Page) => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
  const attr = async (page: Page, name: string) => (await page.getByRole('group', { name: 'Call audio' }).getAttribute(`data-${name}`))!;

  it(
    'the demo agent on a call and a Manager monitoring it in the supervisor app: audio flows, no violation, no console error',
    async () => {
      const agent = await newPage('agent');
      await agent.goto(`${server.url}/agent/`);
      await agent.getByLabel('Username').fill('agent.billing');
      await agent.getByLabel('Password').fill(DEMO_PASSWORD);
      await agent.getByRole('button', { name: 'Sign in' }).click();
      await agent.getByRole('button', { name: 'Go available' }).click();
      await agent.getByRole('heading', { name: 'Waiting for a call' }).waitFor();
      server.simulator!.placeCall({ toUserId: await userId(server, 'agent.billing') });
      server.simulator!.tick();
      await agent.getByRole('button', { name: 'Answer' }).click();
      await agent.getByRole('heading', { name: 'On a call' }).waitFor();
      await expect.poll(() => attr(agent, 'link'), UNTIL).toBe('live');
      await expect.poll(async () => Number(await attr(agent, 'frames-sent')), UNTIL).toBeGreaterThan(0);

      const agentName = (await server.store.users.list()).find((u) => u.username === 'agent.billing')!.displayName;
      const manager = await newPage('manager');
      await manager.goto(server.url);
      await manager.getByLabel('Username').fill('manager.billing');
      await manager.getByLabel('Password').fill(DEMO_PASSWORD);
      await manager.getByRole('button', { name: 'Sign in' }).click();
      await manager.getByRole('button', { name: agentName, exact: true }).click();
      await manager
        .getByRole('complementary', { name: `Agent ${agentName}` })
        .getByRole('button', { name: 'Monitor' })
        .click();
      await expect.poll(() => attr(manager, 'link'), UNTIL).toBe('live');
      // The agent's microphone reaches the Manager over the media socket and plays through the worklet.
      await expect.poll(async () => Number(await attr(manager, 'frames-agent')), UNTIL).toBeGreaterThan(0);
      await expect.poll(async () => Number(await attr(manager, 'played-agent')), UNTIL).toBeGreaterThan(0);

      expect(await violations(agent)).toEqual([]);
      expect(await violations(manager)).toEqual([]);
      expect(problems).toEqual([]);
    },
    BROWSER_TEST_MS,
  );

  it(
    'an Administrator opens every page of the supervisor app: each renders, no violation, no console error',
    async () => {
      const admin = await newPage('admin');
      await admin.goto(server.url);
      await admin.getByLabel('Username').fill('admin');
      await admin.getByLabel('Password').fill(DEMO_PASSWORD);
      await admin.getByRole('button', { name: 'Sign in' }).click();
      const nav = admin.getByRole('navigation', { name: 'Pages' });
      await nav.waitFor();
      const pages = await nav.getByRole('link').allTextContents();
      expect(pages.length).toBeGreaterThanOrEqual(5);
      for (const label of pages) {
        await nav.getByRole('link', { name: label }).click();
        await expect.poll(() => admin.title()).toBe(`${label} · Earshot`);
        await admin.getByRole('heading', { level: 1 }).first().waitFor();
      }
      expect(await violations(admin)).toEqual([]);
      expect(problems).toEqual([]);
    },
    BROWSER_TEST_MS,
  );
});

/** A desktop on another origin that shows the agent page in a frame. */
describeWithBrowser('framing the agent page (CSP frame-ancestors)', () => {
  let host: Server;
  let hostUrl: string;
  let browser: Browser;
  let server: TestServer | undefined;

  beforeAll(async () => {
    browser = await launchBrowser();
    host = createServer((req, res) => {
      const target = new URL(req.url!, 'http://x').searchParams.get('frame')!;
      res.setHeader('content-type', 'text/html');
      res.end(`<!doctype html><title>Desk</title><iframe id="agent" src="${target}" width="800" height="600"></iframe>`);
    });
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    // "localhost" and "127.0.0.1" are different origins: the desk is not the server's own origin.
    hostUrl = `http://localhost:${(host.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => host.close(resolve));
  });

  /** Where the desk's frame ended up (Chromium puts its error page in a frame it refuses) and the title of what it shows. */
  async function framedAgentPage(): Promise<{ frameUrl: string; title: string }> {
    const page = await browser.newPage();
    await page.goto(`${hostUrl}/?frame=${encodeURIComponent(`${server!.url}/agent/`)}`, { waitUntil: 'load' });
    const frame = page.frames().find((f) => f !== page.mainFrame())!;
    const result = { frameUrl: frame.url(), title: await frame.title() };
    await page.close();
    return result;
  }

  it(
    "by default ('self') another origin cannot frame it; with FRAME_ANCESTORS naming that origin it can",
    async () => {
      server = await startTestServer();
      const refused = await framedAgentPage();
      expect(refused.frameUrl).toBe('chrome-error://chromewebdata/');
      expect(refused.title).not.toBe('Earshot · Agent desktop');
      await server.close();
      server = await startTestServer({ frameAncestors: ["'self'", hostUrl] });
      expect(await framedAgentPage()).toEqual({ frameUrl: `${server.url}/agent/`, title: 'Earshot · Agent desktop' });
    },
    BROWSER_TEST_MS,
  );
});
