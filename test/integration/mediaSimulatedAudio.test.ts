import type { MediaFrame } from '@earshot/shared';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { toneAmplitude } from '../support/goertzel.js';
import { closeAllSockets, connectAs, ok, startTestServer, userId, type TestServer } from '../support/harness.js';
import { MediaClient, mediaUrl } from '../support/mediaHarness.js';

/** docs/architecture.md "Media plane": "The simulator produces the customer and simulated agents' audio." */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  closeAllSockets();
  await server.close();
});

const loud = (f: MediaFrame) => Math.sqrt(f.samples.reduce((s, v) => s + v * v, 0) / f.samples.length) > 300;
const joined = (frames: MediaFrame[]) => Int16Array.from(frames.flatMap((f) => [...f.samples]));

it('a supervisor on a simulated call hears a customer and an agent who take turns, in distinct voices', async () => {
  const agentId = await userId(server, 'sim.billing.2');
  server.simulator!.tick();
  server.clock.advance(1000);
  server.simulator!.tick();
  server.simulator!.placeCall({ toUserId: agentId });
  server.simulator!.tick();
  server.clock.advance(5000);
  server.simulator!.tick();
  expect(server.floor.phoneOf(agentId).state).toBe('talking');

  const manager = (await connectAs(server.url, 'manager.billing')).socket;
  const { session } = await ok(manager, 'supervise:start', { agentId, mode: 'monitor' });
  const media = await MediaClient.open(mediaUrl(server, await ok(manager, 'media:token', { sessionId: session.sessionId })), 'supervisor');
  // Eight seconds of the call, in bursts the listener's socket takes without dropping anything.
  for (let burst = 0; burst < 40; burst++) {
    for (let i = 0; i < 10; i++) server.stepAudio();
    await media.flush();
  }
  const frames = media.take();
  const customer = frames.filter((f) => f.track === 'customer');
  const agent = frames.filter((f) => f.track === 'agent');
  expect([customer.length, agent.length]).toEqual([400, 400]);

  // Turns: each speaks for a good part of the exchange, never both in the same 20 ms.
  const customerTalks = customer.map(loud);
  const agentTalks = agent.map(loud);
  expect(customerTalks.filter(Boolean).length).toBeGreaterThan(50);
  expect(agentTalks.filter(Boolean).length).toBeGreaterThan(50);
  expect(customerTalks.some((talks, i) => talks && agentTalks[i])).toBe(false);

  // Voices: the agent's pitch is near 120 Hz, where the customer's voice (near 210 Hz) has next to nothing.
  const firstLoud = (track: MediaFrame[], talks: boolean[]) => track.slice(talks.indexOf(true) + 5, talks.indexOf(true) + 15);
  const agentAt120 = toneAmplitude(joined(firstLoud(agent, agentTalks)), 120);
  const customerAt120 = toneAmplitude(joined(firstLoud(customer, customerTalks)), 120);
  expect(agentAt120).toBeGreaterThan(5 * customerAt120);
});
