import type { AgentPhoneState, SupervisionNotice } from '@earshot/shared';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeAllSockets, connectAs, nextEvent, ok, startTestServer, userId, type TestServer } from '../support/harness.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  closeAllSockets();
  await server.close();
});

it('a real agent takes a simulated call and a manager monitors it', async () => {
  const agent = (await connectAs(server.url, 'agent.billing')).socket;
  const manager = (await connectAs(server.url, 'manager.billing')).socket;
  const resync = await ok(agent, 'agent:attach', {});
  expect(resync.phone.state).toBe('loggedOut');
  await ok(agent, 'agent:status', { status: 'available' });
  const ringing = nextEvent<{ phone: AgentPhoneState }>(agent, 'agent:phone');
  server.simulator!.placeCall({ toUserId: await userId(server, 'agent.billing') });
  server.simulator!.tick();
  const { phone } = await ringing;
  expect(phone.state).toBe('ringing');
  await ok(agent, 'call:answer', { callId: phone.call!.callId });
  const notice = nextEvent<SupervisionNotice>(agent, 'notice:supervision');
  const { session } = await ok(manager, 'supervise:start', { agentId: phone.userId, mode: 'monitor' });
  expect(await notice).toMatchObject({ phase: 'started', mode: 'monitor', supervisor: { name: session.supervisorName } });
  const board = await ok(manager, 'board:subscribe', {});
  expect(board.entries.find((e) => e.userId === phone.userId)!.phone.call!.supervisions[0]!.mode).toBe('monitor');
});

it('simulated agents log in and answer on their own', async () => {
  const sim = await userId(server, 'sim.sales.2');
  server.simulator!.tick();
  server.clock.advance(1000);
  server.simulator!.tick();
  expect(server.floor.phoneOf(sim).state).toBe('available');
  server.simulator!.placeCall({ toUserId: sim });
  server.simulator!.tick();
  expect(server.floor.phoneOf(sim).state).toBe('ringing');
  server.clock.advance(5000);
  server.simulator!.tick();
  expect(server.floor.phoneOf(sim).state).toBe('talking');
});
