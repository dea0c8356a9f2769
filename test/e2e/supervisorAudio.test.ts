import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MediaTrack } from '@earshot/shared';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_PASSWORD, startServer, testConfig, type EarshotServer } from '../../server/src/app.js';
import type { RoutedFrame } from '../../server/src/media/callMedia.js';
import { ARTIFACTS_DIR, describeWithBrowser, launchBrowser } from '../support/browser.js';
import { userId } from '../support/harness.js';
import { ToneTelephony } from '../support/mediaHarness.js';

const SUPERVISOR_APP = fileURLToPath(new URL('../../supervisor-client/dist/index.html', import.meta.url));
const AGENT_APP = fileURLToPath(new URL('../../agent-client/demo-dist/index.html', import.meta.url));

/** A microphone that beeps, granted without asking, and audio that may play before any click. */
const FAKE_MEDIA = ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', '--autoplay-policy=no-user-gesture-required'];

/**
 * How long a poll may wait for audio to pile up (a second of it, say): a bound on a hang, not a latency
 * the test asserts. expect.poll's own default, 1 s, is shorter than some of the audio waited for.
 */
const UNTIL = { timeout: 10_000 };

/**
 * The call's audio end to end, in Chromium: the demo agent answers a call and streams its (fake)
 * microphone; the customer's leg says 440 Hz (the test's telephony); a Manager monitors in the supervisor
 * app, then coaches, then the recording is paused for PCI. Each page exposes what it received, sent and
 * played in data attributes, which are checked against what the server routed, frame for frame.
 *
 * The server runs on the real clock, and its media clock runs by itself (`media.start()`): the pages'
 * microphones send in real time, and the server's budget for them counts real time too.
 */
describeWithBrowser('call audio in the browser (supervisor app and demo agent, fake media devices)', () => {
  let server: EarshotServer;
  let tones: ToneTelephony;
  let browser: Browser;
  let agentPage: Page;
  let managerPage: Page;
  let callId: string;
  let agentName: string;
  const routed: RoutedFrame[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    for (const app of [SUPERVISOR_APP, AGENT_APP]) if (!existsSync(app)) throw new Error(`${app} is missing: run "npm run build" first (npm test does)`);
    tones = new ToneTelephony();
    server = await startServer(testConfig({ demo: true }), { simulatedAudio: tones });
    server.media.onFrameRouted((r) => routed.push(r));
    server.media.start();
    server.simulator!.startAudio();
    browser = await launchBrowser(FAKE_MEDIA);
    agentName = (await server.store.users.list()).find((u) => u.username === 'agent.billing')!.displayName;
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    // No console error, no uncaught exception, in either page, from start to end.
    expect(problems).toEqual([]);
  });

  async function newPage(who: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, acceptDownloads: true });
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`${who}: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`${who} console: ${m.text()}`);
    });
    return page;
  }

  const audioOf = (page: Page) => page.getByRole('group', { name: 'Call audio' });
  const attr = async (panel: Locator, name: string) => (await panel.getAttribute(`data-${name}`))!;
  const count = async (panel: Locator, name: string) => Number(await attr(panel, name));
  const routedCount = (to: 'agent' | 'supervisor', track: MediaTrack) => routed.filter((r) => r.to === to && r.track === track).length;
  const heardByCustomer = (track: MediaTrack) => tones.heardByCustomer.filter((f) => f.track === track).length;
  const sessionCard = () => managerPage.getByRole('article', { name: `Session with ${agentName}` });

  it('the demo agent answers a call: its microphone streams as the agent track, and it plays the customer', async () => {
    agentPage = await newPage('agent');
    await agentPage.goto(`${server.url}/agent`);
    await agentPage.getByLabel('Username').fill('agent.billing');
    await agentPage.getByLabel('Password').fill(DEMO_PASSWORD);
    await agentPage.getByRole('button', { name: 'Sign in' }).click();
    await agentPage.getByRole('button', { name: 'Go available' }).click();
    await agentPage.getByRole('heading', { name: 'Waiting for a call' }).waitFor();
    server.simulator!.placeCall({ toUserId: await userId(server, 'agent.billing') });
    server.simulator!.tick();
    await agentPage.getByRole('button', { name: 'Answer' }).click();
    await agentPage.getByRole('heading', { name: 'On a call' }).waitFor();
    callId = server.floor.phoneOf(await userId(server, 'agent.billing')).call!.callId;

    const audio = audioOf(agentPage);
    await expect.poll(() => attr(audio, 'link'), UNTIL).toBe('live');
    await expect.poll(() => attr(audio, 'mic'), UNTIL).toBe('on');
    await expect.poll(() => count(audio, 'frames-customer'), UNTIL).toBeGreaterThan(0);
    await expect.poll(() => count(audio, 'frames-sent'), UNTIL).toBeGreaterThan(0);
    await expect.poll(() => count(audio, 'output-level'), UNTIL).toBeGreaterThan(0);
    // The agent's microphone reaches the customer; nobody supervises yet.
    await expect.poll(() => heardByCustomer('agent'), UNTIL).toBeGreaterThan(0);
    expect(await attr(audio, 'frames-supervisor')).toBe('0');
  });

  it('a Manager monitoring plays the customer and the agent, mixed, and sends nothing', async () => {
    managerPage = await newPage('manager');
    await managerPage.goto(server.url);
    await managerPage.getByLabel('Username').fill('manager.billing');
    await managerPage.getByLabel('Password').fill(DEMO_PASSWORD);
    await managerPage.getByRole('button', { name: 'Sign in' }).click();
    await managerPage.getByRole('button', { name: agentName, exact: true }).click();
    await managerPage
      .getByRole('complementary', { name: `Agent ${agentName}` })
      .getByRole('button', { name: 'Monitor' })
      .click();

    const panel = audioOf(managerPage);
    await expect.poll(() => attr(panel, 'link'), UNTIL).toBe('live');
    // A second of the call at least (50 frames of each track), played through the jitter buffer, and audible.
    await expect.poll(() => count(panel, 'frames-customer'), UNTIL).toBeGreaterThan(50);
    await expect.poll(() => count(panel, 'frames-agent'), UNTIL).toBeGreaterThan(50);
    await expect.poll(() => count(panel, 'played-customer'), UNTIL).toBeGreaterThan(0);
    await expect.poll(() => count(panel, 'played-agent'), UNTIL).toBeGreaterThan(0);
    await expect.poll(() => count(panel, 'output-level'), UNTIL).toBeGreaterThan(0);
    // In monitor the microphone is not even opened, and no supervisor frame went anywhere.
    expect([await attr(panel, 'mic'), await attr(panel, 'frames-sent'), await attr(panel, 'frames-supervisor')]).toEqual(['off', '0', '0']);
    expect(await panel.getByRole('button', { name: /microphone/ }).count()).toBe(0);
    expect(routed.filter((r) => r.track === 'supervisor')).toEqual([]);
    expect(await attr(audioOf(agentPage), 'frames-supervisor')).toBe('0');
  });

  it('coach: the microphone streams as the supervisor track; the agent hears it, the customer never does', async () => {
    await sessionCard().getByRole('button', { name: 'Coach' }).click();
    const panel = audioOf(managerPage);
    await expect.poll(() => attr(panel, 'mic'), UNTIL).toBe('on');
    await expect.poll(() => count(panel, 'frames-sent'), UNTIL).toBeGreaterThan(25);
    await expect.poll(() => count(audioOf(agentPage), 'frames-supervisor'), UNTIL).toBeGreaterThan(25);
    await expect.poll(() => count(audioOf(agentPage), 'output-level'), UNTIL).toBeGreaterThan(0);
    expect(heardByCustomer('supervisor')).toBe(0);
    expect(routed.filter((r) => r.track === 'supervisor').every((r) => r.to === 'agent' && r.mode === 'coach')).toBe(true);
    await managerPage.screenshot({ path: join(ARTIFACTS_DIR, 'supervisor-audio-coach.png') });
    await agentPage.screenshot({ path: join(ARTIFACTS_DIR, 'agent-audio-coach.png') });
  });

  it('every frame is accounted for: what each page counts is what the server routed to it, and what it sent arrived', async () => {
    // Quiet everything: the telephony clock stops, both microphones are muted (muted sends nothing).
    server.media.stop();
    await audioOf(agentPage).getByRole('button', { name: 'Mute microphone' }).click();
    await audioOf(managerPage).getByRole('button', { name: 'Mute microphone' }).click();
    const agent = audioOf(agentPage);
    const manager = audioOf(managerPage);
    const pages = async () => [
      await count(agent, 'frames-customer'),
      await count(agent, 'frames-supervisor'),
      await count(agent, 'frames-sent'),
      await count(manager, 'frames-customer'),
      await count(manager, 'frames-agent'),
      await count(manager, 'frames-sent'),
    ];
    const server_ = () => [
      routedCount('agent', 'customer'),
      routedCount('agent', 'supervisor'),
      heardByCustomer('agent'),
      routedCount('supervisor', 'customer'),
      routedCount('supervisor', 'agent'),
      routedCount('agent', 'supervisor'),
    ];
    await expect.poll(async () => JSON.stringify(await pages()) === JSON.stringify(server_()), UNTIL).toBe(true);
    expect(await pages()).toEqual(server_());
    expect(server.media.stats().framesDropped).toBe(0);
    expect([await attr(agent, 'muted'), await attr(manager, 'muted')]).toEqual(['true', 'true']);

    await audioOf(agentPage).getByRole('button', { name: 'Unmute microphone' }).click();
    await audioOf(managerPage).getByRole('button', { name: 'Unmute microphone' }).click();
    server.media.start();
  });

  it('a PCI pause: the panel says so and plays silence, exactly; the resume brings the call back', async () => {
    const panel = audioOf(managerPage);
    await sessionCard().getByRole('button', { name: 'Record' }).click();
    await sessionCard().getByRole('button', { name: 'Pause recording' }).click();
    await panel.getByText('Paused for PCI — audio silenced').waitFor();
    expect(await attr(panel, 'silenced')).toBe('true');
    await expect.poll(() => attr(panel, 'output-level'), UNTIL).toBe('0');
    await managerPage.screenshot({ path: join(ARTIFACTS_DIR, 'supervisor-audio-pci.png') });

    await sessionCard().getByRole('button', { name: 'Resume recording' }).click();
    await panel.getByText('Paused for PCI — audio silenced').waitFor({ state: 'detached' });
    await expect.poll(() => count(panel, 'output-level'), UNTIL).toBeGreaterThan(0);
    expect(await attr(panel, 'silenced')).toBe('false');
  });

  it('stop: the panel goes, its socket closes, and the agent hears no supervisor any more', async () => {
    await sessionCard().getByRole('button', { name: 'Stop', exact: true }).click();
    await managerPage.getByRole('status', { name: `Ended session with ${agentName}` }).waitFor();
    expect(await audioOf(managerPage).count()).toBe(0);
    await expect.poll(() => server.media.stats().listeners, UNTIL).toBe(1);
    // Half a second of the customer to let the last frames in flight land, then half a second more: no supervisor frame in it.
    const customerMoreBy = async (frames: number) =>
      expect.poll(() => count(audioOf(agentPage), 'frames-customer'), UNTIL).toBeGreaterThan((await count(audioOf(agentPage), 'frames-customer')) + frames);
    await customerMoreBy(25);
    const heard = await count(audioOf(agentPage), 'frames-supervisor');
    await customerMoreBy(25);
    expect(await count(audioOf(agentPage), 'frames-supervisor')).toBe(heard);
  });

  it('after the call, the recordings page lists it; it plays through a ticket and exports; delete asks first', async () => {
    await agentPage.getByRole('button', { name: 'Hang up' }).click();
    await agentPage.getByRole('heading', { name: 'Wrap-up' }).waitFor();
    expect(await audioOf(agentPage).count()).toBe(0);
    await server.media.settled();
    const [stored] = (await server.store.recordings.page({ callId, agentIds: null, limit: 1 })).recordings;
    expect(stored).toMatchObject({ callId, agentName, endedAt: expect.any(Number) });
    expect(stored!.pausedSpans).toHaveLength(1);

    await managerPage.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Recordings' }).click();
    const row = managerPage.locator(`tr[data-recording-id="${stored!.id}"]`);
    await row.waitFor();
    expect(await row.locator('th').textContent()).toBe(agentName);
    expect(await row.getByRole('button').allTextContents()).toEqual(['Play', 'Export', 'Delete']);

    await row.getByRole('button', { name: 'Play' }).click();
    // The player names the call as people know it (queue, masked number, start), never by its internal id.
    const player = managerPage.getByLabel(/^Recording of the (Billing|Sales|Support) call, /);
    expect(await row.textContent()).not.toContain(callId);
    await expect.poll(() => player.evaluate((a: HTMLAudioElement) => a.readyState), UNTIL).toBeGreaterThanOrEqual(1);
    // The WAV as the browser reads it: exactly as long as the server says.
    expect(await player.evaluate((a: HTMLAudioElement) => Math.round(a.duration * 1000))).toBe(stored!.durationMs);
    await managerPage.screenshot({ path: join(ARTIFACTS_DIR, 'supervisor-recordings.png') });

    const download = managerPage.waitForEvent('download');
    await row.getByRole('button', { name: 'Export' }).click();
    expect((await download).suggestedFilename()).toBe(
      `earshot-${stored!.queue}-${new Date(stored!.startedAt).toISOString().slice(0, 19).replace(/:/g, '-')}Z-${stored!.id}.wav`,
    );

    await row.getByRole('button', { name: 'Delete' }).click();
    const confirm = managerPage.getByRole('alertdialog', { name: /^Delete the recording of the (Billing|Sales|Support) call, / });
    await confirm.getByRole('button', { name: 'Yes, delete' }).click();
    await row.waitFor({ state: 'detached' });
    expect(await server.store.recordings.get(stored!.id)).toBeNull();
  });
});
