import { afterEach, beforeEach, expect, it } from 'vitest';
import { startServer } from '../../server/src/app.js';
import { AriPeer, asteriskTestConfig } from '../support/ariPeer.js';
import { until, waitForPhone } from '../support/floor.js';
import { closeAllSockets, connectAs, ok, TestClock, type ClientSocket, type TestServer } from '../support/harness.js';

/**
 * The queue figures fed by the Asterisk adapter: an answer reaches the queue twice (the adapter's queue event
 * and the agent's phone going to talking), an answer may be seen again (a second state change, a StasisStart)
 * or only when the events come back (read on reconnect). Each caller counts once, exactly.
 */
let peer: AriPeer;
let server: TestServer;
let agent: ClientSocket;

beforeEach(async () => {
  peer = await new AriPeer().start();
  const clock = new TestClock();
  // A 20 s service level.
  server = Object.assign(await startServer(asteriskTestConfig(peer, { serviceLevelThresholdMs: 20_000 }), { now: clock.now }), { clock });
  // The demo floor's agent.billing is PJSIP/1001.
  agent = (await connectAs(server.url, 'agent.billing')).socket;
  await ok(agent, 'agent:attach', {});
});

afterEach(async () => {
  closeAllSockets();
  await server.close();
  await peer.stop();
});

/** A caller for PJSIP/1001 rings the agent's phone; the agent's channel as Earshot dialled it. */
async function ringing(): Promise<{ callId: string; agentChannel: string }> {
  await ok(agent, 'agent:status', { status: 'available' });
  const rings = waitForPhone(agent, (p) => p.state === 'ringing', 5000);
  const callId = peer.placeCall({ endpoint: 'PJSIP/1001', queue: 'Billing' });
  await rings;
  const agentChannel = `earshot-agent-${callId}`;
  await until(() => peer.channels.has(agentChannel), 5000, 'the agent dialled');
  return { callId, agentChannel };
}

async function hangUp(callId: string) {
  const gone = waitForPhone(agent, (p) => p.call === null, 5000);
  peer.hangup(callId);
  await gone;
}

const today = () => server.floor.queues.figures('Billing')!.today;

it('each answer counts once: seen twice, seen again after a reconnect, or seen only on reconnect; the service level exactly', async () => {
  // Answered after 5 s, in time; the phone's second StasisStart and state change are echoes.
  const first = await ringing();
  server.clock.advance(5_000);
  const talking = waitForPhone(agent, (p) => p.state === 'talking', 5000);
  peer.answer(first.agentChannel);
  await talking;
  peer.answer(first.agentChannel);
  await until(() => peer.bridges.get(`earshot-call-${first.callId}`)?.channels.length === 2, 3000, 'the agent bridged');
  expect(today()).toEqual({ answered: 1, answeredWithinThreshold: 1, abandoned: 0, share: 1 });

  // The events drop and come back while the call is up: the reconnect reads it again and counts nothing more.
  peer.dropEvents();
  await until(() => peer.connections === 2, 5000, 'the reconnect');
  await until(() => peer.requests.filter((r) => r === 'GET /bridges').length === 2, 3000, 'the calls read again');
  await new Promise((r) => setTimeout(r, 100));
  expect(today()).toEqual({ answered: 1, answeredWithinThreshold: 1, abandoned: 0, share: 1 });
  server.clock.advance(60_000);
  await hangUp(first.callId);

  // Answered after 25 s, late, while the events are down: seen only when they come back.
  const second = await ringing();
  server.clock.advance(25_000);
  peer.dropEvents(300);
  await new Promise((r) => setTimeout(r, 50));
  peer.answer(second.agentChannel);
  const talkingAgain = waitForPhone(agent, (p) => p.state === 'talking', 5000);
  await until(() => peer.connections === 3, 5000, 'the second reconnect');
  await talkingAgain;
  expect(today()).toEqual({ answered: 2, answeredWithinThreshold: 1, abandoned: 0, share: 0.5 });
  await hangUp(second.callId);

  // A caller who hangs up while it rings is abandoned, once.
  const third = await ringing();
  await hangUp(third.callId);
  expect(today()).toEqual({ answered: 2, answeredWithinThreshold: 1, abandoned: 1, share: 1 / 3 });
  expect(server.floor.queues.figures('Billing')).toMatchObject({ waiting: 0 });
});
