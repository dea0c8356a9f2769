import type { SupervisionMode } from '@earshot/shared';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { onNoticeSent } from '../support/floor.js';
import { closeAllSockets, connectAs, ok, type ClientSocket } from '../support/harness.js';
import { agentOnCall, MediaClient, mediaUrl, startMediaTestServer, type MediaTestServer } from '../support/mediaHarness.js';

/**
 * docs/architecture.md "Notices", **must**: "the notice is sent to the agent before the supervisor is routed a
 * single audio frame". Instrumented: every `notice:supervision` the server emits and every frame the media
 * plane routes to a supervisor go into one ordered log, while audio flows all the time.
 */
let server: MediaTestServer;
const log: ({ kind: 'notice'; sessionId: string; mode: SupervisionMode; phase: string } | { kind: 'frame'; sessionId: string; mode: SupervisionMode })[] = [];

beforeAll(async () => {
  server = await startMediaTestServer();
  onNoticeSent(server, (n) => log.push({ kind: 'notice', sessionId: n.sessionId, mode: n.mode, phase: n.phase }));
  server.media.onFrameRouted((r) => {
    if (r.to === 'supervisor') log.push({ kind: 'frame', sessionId: r.sessionId!, mode: r.mode! });
  });
});
afterAll(async () => {
  closeAllSockets();
  await server.close();
});

/** Audio flows the whole time: the telephony leg steps on every turn of the event loop. */
function keepPumping(): () => void {
  let on = true;
  const step = () => {
    if (!on) return;
    server.stepAudio();
    setImmediate(step);
  };
  setImmediate(step);
  return () => void (on = false);
}

async function openSupervisorMedia(socket: ClientSocket, sessionId: string) {
  return MediaClient.open(mediaUrl(server, await ok(socket, 'media:token', { sessionId })), 'supervisor');
}

it('no supervisor is routed a frame before the agent was sent the notice of its session, or of its new mode', async () => {
  const { socket: agent, agentId, callId } = await agentOnCall(server, 'agent.billing');
  const agentMedia = await MediaClient.open(mediaUrl(server, await ok(agent, 'media:token', { callId })), 'agent');
  const manager = (await connectAs(server.url, 'manager.billing')).socket;
  const trainer = (await connectAs(server.url, 'trainer')).socket;
  const stop = keepPumping();
  try {
    const m = (await ok(manager, 'supervise:start', { agentId, mode: 'monitor' })).session.sessionId;
    const managerMedia = await openSupervisorMedia(manager, m);
    agentMedia.sendTone(5);
    await managerMedia.flush();
    for (const mode of ['coach', 'barge', 'monitor'] as const) {
      await ok(manager, 'supervise:mode', { sessionId: m, mode });
      agentMedia.sendTone(5);
      await agentMedia.flush();
      await managerMedia.flush();
    }
    const t = (await ok(trainer, 'supervise:start', { agentId, mode: 'monitor' })).session.sessionId;
    const trainerMedia = await openSupervisorMedia(trainer, t);
    await ok(trainer, 'supervise:mode', { sessionId: t, mode: 'coach' });
    agentMedia.sendTone(5);
    await agentMedia.flush();
    await trainerMedia.flush();
    await managerMedia.flush();
  } finally {
    stop();
  }

  // Every frame routed to a supervisor follows, in the log, a notice to the agent announcing the mode it was routed in.
  const announced = new Map<string, SupervisionMode | null>();
  const unannounced: string[] = [];
  const stints = new Set<string>();
  log.forEach((e, at) => {
    if (e.kind === 'notice') return void announced.set(e.sessionId, e.phase === 'ended' ? null : e.mode);
    stints.add(`${e.sessionId} ${e.mode}`);
    if (announced.get(e.sessionId) !== e.mode)
      unannounced.push(`#${at}: ${e.mode} frame to ${e.sessionId}, agent told ${announced.get(e.sessionId) ?? 'nothing'}`);
  });
  expect(unannounced).toEqual([]);
  // Both supervisors were heard in every mode they held: the manager monitor, coach, barge; the trainer monitor, coach.
  expect(stints.size).toBe(5);
  expect(log.filter((e) => e.kind === 'notice').map((e) => e.mode)).toEqual(['monitor', 'coach', 'barge', 'monitor', 'monitor', 'coach']);
});
