import { decodeFrame, encodeFrame, isSilenced, type AgentPhoneState, type MediaFrame, type MediaTokenResponse, type MediaTrack } from '@earshot/shared';
import WebSocket from 'ws';
import { startServer, testConfig, type ServerConfig, type ServerOptions } from '../../server/src/app.js';
import type { SimulatedAudio } from '../../server/src/telephony/simulatedCallAudio.js';
import { TONES, toneFrame, tonesIn, type ToneName } from './goertzel.js';
import { until } from './floor.js';
import { connectAs, nextEvent, ok, TestClock, userId, type ClientSocket, type TestServer } from './harness.js';

/**
 * The simulator's voices in tests: the customer says 440 Hz on every call (pushed through the platform's
 * audio path), and what reaches the customer is kept, as frames of the track that said it.
 */
export class ToneTelephony implements SimulatedAudio {
  readonly heardByCustomer: MediaFrame[] = [];

  customerFrame(_callId: string, index: number): Int16Array {
    return toneFrame(TONES.customer, index);
  }

  agentFrame(): null {
    return null;
  }

  toCustomer(_callId: string, track: 'agent' | 'supervisor', samples: Int16Array): void {
    if (samples.length !== 160) throw new Error(`the customer was sent a frame of ${samples.length} samples`);
    this.heardByCustomer.push({ track, seq: this.heardByCustomer.length, timestamp: 0, flags: 0, samples });
  }

  /** The frames the customer received since the last call, taken out. */
  take(): MediaFrame[] {
    return this.heardByCustomer.splice(0);
  }
}

export interface MediaTestServer extends TestServer {
  tones: ToneTelephony;
}

/** The real server as `startTestServer` starts it, with tones for the customer's leg. */
export async function startMediaTestServer(
  overrides: Partial<ServerConfig> = {},
  options: Omit<ServerOptions, 'now' | 'simulatedAudio'> = {},
): Promise<MediaTestServer> {
  const clock = new TestClock();
  const tones = new ToneTelephony();
  const server = await startServer(testConfig({ demo: true, ...overrides }), { ...options, now: clock.now, simulatedAudio: tones });
  return Object.assign(server, { clock, tones });
}

export function mediaUrl(server: { url: string }, token: MediaTokenResponse | string): string {
  const t = typeof token === 'string' ? token : token.token;
  return `${server.url.replace(/^http/, 'ws')}/media?token=${encodeURIComponent(t)}`;
}

/** A media socket as a client holds it: frames in, tone frames out, and a flush that needs no timer. */
export class MediaClient {
  private readonly received: MediaFrame[] = [];
  private seq = 0;
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(
    readonly ws: WebSocket,
    private readonly track: MediaTrack,
  ) {
    ws.on('message', (data: Buffer) => {
      const r = decodeFrame(data);
      if (!r.ok) throw new Error(`broken frame from the server: ${r.reason}`);
      this.received.push(r.frame);
    });
    this.closed = new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  /** Opens; rejects with the HTTP status and body of a refused upgrade. */
  static open(url: string, track: MediaTrack, headers: Record<string, string> = {}): Promise<MediaClient> {
    const ws = new WebSocket(url, { headers });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new MediaClient(ws, track)));
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode, body: JSON.parse(body) })));
      });
      ws.once('error', (e) => reject(e));
    });
  }

  /** Sends `count` frames of the track's tone, continuing its phase and sequence; answers the first seq sent. */
  sendTone(count: number, hz: number = TONES[this.track]): number {
    const first = this.seq;
    for (let i = 0; i < count; i++, this.seq++) {
      this.ws.send(encodeFrame({ track: this.track, seq: this.seq, timestamp: 0, samples: toneFrame(hz, this.seq) }));
    }
    return first;
  }

  /**
   * A ping answered by a pong: the server handles this socket's messages in order, so everything sent
   * before has been routed; and its pong follows, on this socket, every frame it sent here before.
   */
  flush(): Promise<void> {
    return new Promise((resolve) => {
      this.ws.once('pong', () => resolve());
      this.ws.ping();
    });
  }

  /** The frames received since the last call, taken out. */
  take(): MediaFrame[] {
    return this.received.splice(0);
  }

  close(): void {
    this.ws.close();
  }
}

/** Frame by frame: the tracks and tones heard, and whether any frame was silenced. */
export function hearing(frames: readonly MediaFrame[]) {
  const tracks = new Set<MediaTrack>();
  const tones = new Set<ToneName>();
  for (const f of frames) {
    tracks.add(f.track);
    for (const t of tonesIn(f.samples)) tones.add(t);
  }
  return { tracks: [...tracks].sort(), tones: [...tones].sort(), silenced: frames.filter((f) => isSilenced(f)).length, count: frames.length };
}

/** Waits until `media` has 25 voiced frames of each track in `need`; the tones of each track's last 20. */
export async function tonesPerTrack(media: MediaClient, need: MediaTrack[], timeoutMs = 8000): Promise<Record<string, ToneName[]>> {
  const frames: MediaFrame[] = [];
  const voiced = (track: string) => frames.filter((f) => f.track === track && f.samples.some((s) => s !== 0));
  await until(
    () => {
      frames.push(...media.take());
      return need.every((t) => voiced(t).length >= 25);
    },
    timeoutMs,
    `${need.join(' and ')} at the supervisor`,
  );
  return Object.fromEntries(need.map((t) => [t, hearing(voiced(t).slice(-20)).tones]));
}

/** A real agent (the plugin) answers a call the simulator offers them; answers the agent's socket and the call. */
export async function agentOnCall(server: TestServer, username: string): Promise<{ socket: ClientSocket; agentId: number; callId: string }> {
  const { socket } = await connectAs(server.url, username);
  await ok(socket, 'agent:attach', {});
  await ok(socket, 'agent:status', { status: 'available' });
  const agentId = await userId(server, username);
  const ringing = nextEvent<{ phone: AgentPhoneState }>(socket, 'agent:phone');
  server.simulator!.placeCall({ toUserId: agentId });
  server.simulator!.tick();
  const callId = (await ringing).phone.call!.callId;
  await ok(socket, 'call:answer', { callId });
  return { socket, agentId, callId };
}
