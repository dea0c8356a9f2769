import { MEDIA_CLOSE_CODES, MEDIA_FRAME_SAMPLES, type MediaFrame, type Recording } from '@earshot/shared';
import { WaveFile } from 'wavefile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tonesIn, type ToneName } from '../support/goertzel.js';
import { closeAllSockets, connectAs, ok, type ClientSocket } from '../support/harness.js';
import { agentOnCall, hearing, MediaClient, mediaUrl, startMediaTestServer, type MediaTestServer } from '../support/mediaHarness.js';

/**
 * One call through every mode, with a tone per track: the customer 440 Hz (the telephony side), the agent
 * 660 Hz (the plugin's socket), the supervisor 880 Hz (the supervisor's socket). Each phase, every sender
 * sends FRAMES frames, the telephony leg runs FRAMES steps, and each listener's frames are checked tone by
 * tone against docs/architecture.md's table; the recording is checked the same way, slot by slot, at the end.
 */
const FRAMES = 10;

let server: MediaTestServer;
let agentSocket: ClientSocket;
let manager: ClientSocket;
let admin: ClientSocket;
let callId: string;
let agentId: number;
let agentMedia: MediaClient;
let managerMedia: MediaClient;
let managerSession: string;
let adminMedia: MediaClient;

interface Heard {
  agent: MediaFrame[];
  manager: MediaFrame[];
  admin: MediaFrame[];
  customer: MediaFrame[];
}

/** Everyone sends, the telephony leg runs, and every listener's frames are collected (no timer anywhere). */
async function runPhase(senders: MediaClient[]): Promise<Heard & { firstSent: Map<MediaClient, number> }> {
  const firstSent = new Map(senders.map((s) => [s, s.sendTone(FRAMES)]));
  for (const s of senders) await s.flush();
  for (let i = 0; i < FRAMES; i++) server.stepAudio();
  const listeners = [agentMedia, managerMedia, adminMedia].filter((c) => c !== undefined && c.ws.readyState === c.ws.OPEN);
  for (const l of listeners) await l.flush();
  return {
    firstSent,
    agent: agentMedia.take(),
    manager: managerMedia.take(),
    admin: adminMedia?.take() ?? [],
    customer: server.tones.take(),
  };
}

const tonesOf = (frames: MediaFrame[]) => hearing(frames).tones;
const firstOf = (frames: MediaFrame[], track: string) => frames.find((f) => f.track === track);

async function mediaToken(socket: ClientSocket, request: { sessionId: string } | { callId: string }) {
  return ok(socket, 'media:token', request);
}

beforeAll(async () => {
  server = await startMediaTestServer();
  ({ socket: agentSocket, callId, agentId } = await agentOnCall(server, 'agent.billing'));
  manager = (await connectAs(server.url, 'manager.billing')).socket;
  admin = (await connectAs(server.url, 'admin')).socket;
  agentMedia = await MediaClient.open(mediaUrl(server, await mediaToken(agentSocket, { callId })), 'agent');
  const { session } = await ok(manager, 'supervise:start', { agentId, mode: 'monitor' });
  managerSession = session.sessionId;
  managerMedia = await MediaClient.open(mediaUrl(server, await mediaToken(manager, { sessionId: managerSession })), 'supervisor');
  await ok(manager, 'recording:start', { callId });
});
afterAll(async () => {
  closeAllSockets();
  await server.close();
});

describe('routing by mode, tone by tone (architecture.md "Media plane")', () => {
  it('monitor: the supervisor hears customer and agent; the agent hears the customer; the customer the agent; nobody the supervisor', async () => {
    const heard = await runPhase([agentMedia, managerMedia]);
    expect(tonesOf(heard.manager)).toEqual(['agent', 'customer']);
    expect(tonesOf(heard.agent)).toEqual(['customer']);
    expect(tonesOf(heard.customer)).toEqual(['agent']);
    expect(hearing(heard.manager).count).toBe(2 * FRAMES);
  });

  it('coach: the agent hears the supervisor from the first frame after the switch; the customer never does', async () => {
    await ok(manager, 'supervise:mode', { sessionId: managerSession, mode: 'coach' });
    const heard = await runPhase([agentMedia, managerMedia]);
    expect(tonesOf(heard.manager)).toEqual(['agent', 'customer']);
    expect(tonesOf(heard.agent)).toEqual(['customer', 'supervisor']);
    expect(tonesOf(heard.customer)).toEqual(['agent']);
    // The first supervisor frame the agent got is the first one sent after the switch, and every one after it came too.
    expect(firstOf(heard.agent, 'supervisor')!.seq).toBe(heard.firstSent.get(managerMedia));
    expect(heard.agent.filter((f) => f.track === 'supervisor')).toHaveLength(FRAMES);
  });

  it('barge: the customer hears agent and supervisor, from the first frame after the switch', async () => {
    await ok(manager, 'supervise:mode', { sessionId: managerSession, mode: 'barge' });
    const heard = await runPhase([agentMedia, managerMedia]);
    expect(tonesOf(heard.manager)).toEqual(['agent', 'customer']);
    expect(tonesOf(heard.agent)).toEqual(['customer', 'supervisor']);
    expect(tonesOf(heard.customer)).toEqual(['agent', 'supervisor']);
    // Every frame the manager sent since the switch reached the customer (through the platform), the first one too.
    expect(heard.customer.filter((f) => f.track === 'supervisor')).toHaveLength(FRAMES);
  });

  it('PCI pause: a monitoring supervisor keeps receiving frames, all silenced, with no 440 or 660 Hz energy; agent and customer go on', async () => {
    await ok(manager, 'supervise:mode', { sessionId: managerSession, mode: 'monitor' });
    await ok(manager, 'recording:pause', { callId });
    const heard = await runPhase([agentMedia, managerMedia]);
    expect(heard.manager).toHaveLength(2 * FRAMES);
    for (const frame of heard.manager) {
      expect(frame.flags & 1).toBe(1);
      expect(tonesIn(frame.samples)).toEqual([]);
      expect(frame.samples.every((s) => s === 0)).toBe(true);
    }
    expect(tonesOf(heard.agent)).toEqual(['customer']);
    // Back to monitor: the manager's voice reaches nobody again from the first frame after the switch.
    expect(tonesOf(heard.customer)).toEqual(['agent']);
  });

  it('after the resume the supervisor hears the call again from the first frame', async () => {
    await ok(manager, 'recording:resume', { callId });
    const heard = await runPhase([agentMedia, managerMedia]);
    expect(heard.manager[0]!.flags).toBe(0);
    expect(tonesIn(heard.manager[0]!.samples)).toEqual(['agent']);
    expect(hearing(heard.manager)).toMatchObject({ tones: ['agent', 'customer'], silenced: 0 });
  });

  it('take over: the agent leaves (socket closed), the taker hears the customer only, the customer hears the taker only', async () => {
    const { session } = await ok(admin, 'supervise:start', { agentId, mode: 'takeOver' });
    expect(await agentMedia.closed).toEqual({ code: MEDIA_CLOSE_CODES.ENDED, reason: 'left-call' });
    adminMedia = await MediaClient.open(mediaUrl(server, await mediaToken(admin, { sessionId: session.sessionId })), 'supervisor');
    const heard = await runPhase([adminMedia, managerMedia]);
    expect(tonesOf(heard.admin)).toEqual(['customer']);
    expect(tonesOf(heard.manager)).toEqual(['customer']);
    expect(tonesOf(heard.customer)).toEqual(['supervisor']);
    // The taker's frames, every one of them; the monitoring manager's microphone reaches nobody.
    expect(heard.customer).toHaveLength(FRAMES);
    expect(heard.agent).toEqual([]);

    // Stopping the take-over ends the call: every media socket closes with its session's end reason.
    await ok(admin, 'supervise:stop', { sessionId: session.sessionId });
    expect(await adminMedia.closed).toEqual({ code: MEDIA_CLOSE_CODES.ENDED, reason: 'stopped' });
    expect(await managerMedia.closed).toEqual({ code: MEDIA_CLOSE_CODES.ENDED, reason: 'taken-over-ended' });
  });
});

describe('the recording: a stereo WAV, slot by slot', () => {
  let recording: Recording;
  let channels: { left: Int16Array; right: Int16Array };

  beforeAll(async () => {
    await server.media.settled();
    const token = (
      await (
        await fetch(`${server.url}/api/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'manager.billing', password: 'earshot-demo' }),
        })
      ).json()
    ).data.token as string;
    const list = await (await fetch(`${server.url}/api/recordings?callId=${callId}`, { headers: { authorization: `Bearer ${token}` } })).json();
    recording = list.data.recordings[0];
    const file = await fetch(`${server.url}/api/recordings/${recording.id}/export`, { headers: { authorization: `Bearer ${token}` } });
    const wav = new WaveFile(new Uint8Array(await file.arrayBuffer()));
    expect(wav.fmt).toMatchObject({ numChannels: 2, sampleRate: 8000, bitsPerSample: 16, audioFormat: 1 });
    const [left, right] = wav.getSamples(false, Int16Array) as unknown as Int16Array[];
    channels = { left: left!, right: right! };
  });

  const PHASES: [string, ToneName[], ToneName[]][] = [
    ['monitor', ['customer'], ['agent']],
    ['coach (never on the customer side, never recorded)', ['customer'], ['agent']],
    ['barge', ['customer'], ['agent', 'supervisor']],
    ['PCI pause: silence', [], []],
    ['monitor again', ['customer'], ['agent']],
    ['take over', ['customer'], ['supervisor']],
  ];

  it('lasts one slot per customer frame, and lists its paused span', () => {
    expect(channels.left).toHaveLength(PHASES.length * FRAMES * MEDIA_FRAME_SAMPLES);
    expect(recording).toMatchObject({ callId, durationMs: PHASES.length * FRAMES * 20, pausedSpans: [{ fromMs: 3 * FRAMES * 20, toMs: 4 * FRAMES * 20 }] });
    expect(recording.endedAt).not.toBeNull();
  });

  it.each(PHASES.map((p, i) => [i, ...p] as const))('phase %i, %s: left %j, right %j, in every slot', (phase, _name, left, right) => {
    for (let slot = phase * FRAMES; slot < (phase + 1) * FRAMES; slot++) {
      const at = (ch: Int16Array) => ch.subarray(slot * MEDIA_FRAME_SAMPLES, (slot + 1) * MEDIA_FRAME_SAMPLES);
      expect({ slot, left: tonesIn(at(channels.left)), right: tonesIn(at(channels.right)) }).toEqual({ slot, left, right });
      if (left.length === 0) expect(at(channels.left).every((s) => s === 0) && at(channels.right).every((s) => s === 0)).toBe(true);
    }
  });
});
