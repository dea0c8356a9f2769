/**
 * One media load-generator process: a share of the bench's calls. It is the trunk (the calls' customer and
 * agent frames, one feed message per 20 ms step) and the supervisors (one per call, each listening on its
 * own media socket, a share of them coaching: a frame of their voice every 20 ms). Driven by the runner
 * over IPC, like the control-plane workers; the same code measures the Earshot server and the bare relay.
 */
import type { Ack, MediaTokenResponse } from '@earshot/shared';
import { encodeFrame, MEDIA_FRAME_MS, MEDIA_FRAME_SAMPLES, MEDIA_TRACKS } from '@earshot/shared';
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import { LatencyHistogram, monotonicUs, type HistogramData } from './latencyHistogram.js';
import {
  encodeFeed,
  LISTEN_PATH,
  readFrameStamp,
  writeStampedSamples,
  type FeedCall,
  type FeedReply,
  type FeedRequest,
  type FrameStamp,
  type TargetMediaStats,
} from './mediaFeed.js';

export interface MediaWorkerCall extends FeedCall {
  agentId: number;
  supervisorToken: string;
  coach: boolean;
}

export interface MediaTargetInfo {
  kind: 'earshot' | 'relay';
  /** The Earshot server's URL (control socket and media endpoint), or the relay's. */
  url: string;
  /** Where the trunk's feed goes. */
  feedUrl: string;
}

export interface MediaRunWindow {
  startUs: number;
  measureFromUs: number;
  endUs: number;
  /** Check every sample of every frame received (the smoke test), or a few of each. */
  fullCheck: boolean;
  /** This worker tells the target the window (one worker does). */
  announce: boolean;
}

export type MediaWorkerCommand =
  | { type: 'init'; target: MediaTargetInfo; calls: MediaWorkerCall[] }
  | { type: 'setUp' }
  | { type: 'listen' }
  | { type: 'run'; window: MediaRunWindow }
  | { type: 'analyze' }
  | { type: 'targetStats' }
  | { type: 'close' };

export interface MediaAnalysis {
  /** Frame sent on the trunk → received by its call's supervisor, for the frames sent in the window. */
  latency: HistogramData;
  /** |Δ transit| of consecutive frames of a stream (a call's track): RFC 3550's jitter, as a distribution. */
  jitter: HistogramData;
  expected: number;
  received: number;
  late: number;
  /** Stamped frames whose sequence number went back or repeated (per stream). */
  outOfOrder: number;
  /** Frames with a stamp whose audio differs from what was sent, or that arrived at the wrong call or track. */
  corrupted: number;
  /** Silence in a frame's place (the platform's track was late). */
  silenceFilled: number;
  /** The longest gap between the server timestamps of consecutive frames of a stream: the media clock's worst step. */
  worstStepMs: number;
  coachSent: number;
  errors: string[];
  counters: Record<string, number>;
}

const LATE_US = 60_000;
const MAX_CATCH_UP_FRAMES = 5;
const CONNECT_CONCURRENCY = 16;

interface Stream {
  lastSeq: number;
  lastTransitUs: number;
  lastServerMs: number;
}

interface CallState {
  spec: MediaWorkerCall;
  control: Socket | null;
  media: WebSocket | null;
  sessionId: string | null;
  /** Frames sent in the window, per trunk track. */
  sentInWindow: number;
  streams: Record<'customer' | 'agent', Stream>;
  coachSeq: number;
}

let target: MediaTargetInfo;
let calls: CallState[] = [];
let feed: WebSocket | null = null;
let window: MediaRunWindow | null = null;
let stepSeq = 0;
const pendingReplies: ((r: FeedReply) => void)[] = [];
const latency = new LatencyHistogram();
const jitter = new LatencyHistogram();
const counters: Record<string, number> = {};
const errors: string[] = [];
let received = 0;
let late = 0;
let outOfOrder = 0;
let corrupted = 0;
let silenceFilled = 0;
let worstStepMs = 0;
let coachSent = 0;
let closing = false;

const count = (name: string, n = 1) => void (counters[name] = (counters[name] ?? 0) + n);
const note = (e: string) => void (errors.length < 8 && errors.push(e));

function feedRequest(req: FeedRequest): Promise<FeedReply> {
  return new Promise((resolve) => {
    pendingReplies.push(resolve);
    feed!.send(JSON.stringify(req));
  });
}

function openFeed(): Promise<void> {
  const ws = new WebSocket(target.feedUrl, { perMessageDeflate: false });
  feed = ws;
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (!isBinary) pendingReplies.shift()?.(JSON.parse(data.toString()) as FeedReply);
  });
  ws.on('close', () => {
    if (!closing) count('feed closed');
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
}

function call<T>(socket: Socket, event: string, payload: unknown): Promise<Ack<T>> {
  return new Promise((resolve) => {
    socket
      .timeout(30_000)
      .emit(event, payload, (err: Error | null, ack: Ack<T>) =>
        resolve(err ? { ok: false, error: { code: 'INTERNAL', message: `no ack for ${event}` } } : ack),
      );
  });
}

async function inBatches<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

function openMedia(url: string): Promise<WebSocket> {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`media upgrade refused: ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

/** The supervisor of a call: on Earshot, a supervision session and its media socket; on the relay, a listening socket. */
async function listen(c: CallState): Promise<void> {
  let url: string;
  if (target.kind === 'earshot') {
    const socket = io(target.url, { transports: ['websocket'], auth: { token: c.spec.supervisorToken }, reconnection: false, forceNew: true, timeout: 60_000 });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    c.control = socket;
    socket.on('disconnect', (reason) => void (closing || count(`supervisor disconnected (${reason})`)));
    const started = await call<{ session: { sessionId: string } }>(socket, 'supervise:start', {
      agentId: c.spec.agentId,
      mode: c.spec.coach ? 'coach' : 'monitor',
    });
    if (!started.ok) throw new Error(`supervise:start: ${started.error.code} ${started.error.message}`);
    c.sessionId = started.data.session.sessionId;
    const token = await call<MediaTokenResponse>(socket, 'media:token', { sessionId: c.sessionId });
    if (!token.ok) throw new Error(`media:token: ${token.error.code} ${token.error.message}`);
    url = `${target.url.replace(/^http/, 'ws')}${token.data.path}?token=${encodeURIComponent(token.data.token)}`;
  } else {
    url = `${target.url.replace(/^http/, 'ws')}${LISTEN_PATH}?call=${c.spec.index}`;
  }
  const ws = await openMedia(url);
  c.media = ws;
  ws.on('message', (data: Buffer) => onFrame(c, data));
  ws.on('close', (code, reason) => void (closing || count(`media socket closed ${code} ${reason.toString()}`)));
}

function onFrame(c: CallState, data: Buffer): void {
  const recvUs = monotonicUs();
  const track = MEDIA_TRACKS[data[1] ?? 255];
  const serverMs = data.readDoubleLE(8);
  if (track !== 'customer' && track !== 'agent') return void count(`frames of track ${track ?? data[1]}`);
  const stream = c.streams[track];
  if (stream.lastServerMs > 0 && window && recvUs >= window.measureFromUs && recvUs < window.endUs) {
    worstStepMs = Math.max(worstStepMs, serverMs - stream.lastServerMs);
  }
  stream.lastServerMs = serverMs;
  const r = readFrameStamp(data, window?.fullCheck ?? true);
  if (!r.ok) {
    let silent = true;
    for (let i = 16; i < data.length && silent; i++) silent = data[i] === 0;
    if (silent) {
      if (window && recvUs >= window.measureFromUs && recvUs < window.endUs) silenceFilled++;
    } else {
      corrupted++;
      note(`call ${c.spec.index} ${track}: ${r.reason}`);
    }
    return;
  }
  const s = r.stamp;
  if (s.call !== c.spec.index || s.track !== track) {
    corrupted++;
    return note(`call ${c.spec.index} ${track} received call ${s.call} ${s.track}`);
  }
  if (s.seq <= stream.lastSeq) outOfOrder++;
  stream.lastSeq = Math.max(stream.lastSeq, s.seq);
  const transit = recvUs - s.sendUs;
  const inWindow = window !== null && s.sendUs >= window.measureFromUs && s.sendUs < window.endUs;
  if (inWindow) {
    received++;
    latency.add(transit);
    if (transit > LATE_US) late++;
    if (stream.lastTransitUs >= 0) jitter.add(Math.abs(transit - stream.lastTransitUs));
  }
  stream.lastTransitUs = transit;
}

/** One 20 ms step: every call's customer and agent frame on the trunk, then every coaching supervisor's voice. */
function step(w: MediaRunWindow): void {
  const seq = ++stepSeq;
  const sendUs = monotonicUs();
  const frames: FrameStamp[] = [];
  for (const c of calls) {
    frames.push({ call: c.spec.index, track: 'customer', seq, sendUs }, { call: c.spec.index, track: 'agent', seq, sendUs });
    if (sendUs >= w.measureFromUs && sendUs < w.endUs) c.sentInWindow++;
  }
  feed!.send(encodeFeed(frames));
  const samples = new Int16Array(MEDIA_FRAME_SAMPLES);
  const view = new DataView(samples.buffer);
  for (const c of calls) {
    if (!c.spec.coach || c.media?.readyState !== WebSocket.OPEN) continue;
    writeStampedSamples(view, 0, { call: c.spec.index, track: 'supervisor', seq: ++c.coachSeq, sendUs: monotonicUs() });
    c.media.send(encodeFrame({ track: 'supervisor', seq: c.coachSeq, timestamp: Date.now(), samples }));
    if (sendUs >= w.measureFromUs && sendUs < w.endUs) coachSent++;
  }
}

/** The trunk's clock: a step every 20 ms from `startUs` to `endUs`, catching up a few steps after a stall, never a burst. */
function run(w: MediaRunWindow): Promise<void> {
  window = w;
  let stepped = 0;
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      const now = monotonicUs();
      if (now >= w.endUs) {
        clearInterval(timer);
        return resolve();
      }
      if (now < w.startUs) return;
      const due = Math.floor((now - w.startUs) / (MEDIA_FRAME_MS * 1000)) + 1;
      if (due - stepped > MAX_CATCH_UP_FRAMES) {
        count('trunk steps skipped (load generator stalled)', due - stepped - MAX_CATCH_UP_FRAMES);
        stepped = due - MAX_CATCH_UP_FRAMES;
      }
      for (; stepped < due; stepped++) step(w);
    }, 2);
  });
}

async function handle(cmd: MediaWorkerCommand): Promise<unknown> {
  switch (cmd.type) {
    case 'init': {
      target = cmd.target;
      const stream = (): Stream => ({ lastSeq: 0, lastTransitUs: -1, lastServerMs: 0 });
      calls = cmd.calls.map((spec) => ({
        spec,
        control: null,
        media: null,
        sessionId: null,
        sentInWindow: 0,
        streams: { customer: stream(), agent: stream() },
        coachSeq: 0,
      }));
      return { calls: calls.length };
    }
    case 'setUp': {
      await openFeed();
      const r = await feedRequest({ type: 'calls', calls: calls.map((c) => ({ index: c.spec.index, callId: c.spec.callId, endpoint: c.spec.endpoint })) });
      return r.type === 'calls' ? { ok: r.ready, failed: calls.length - r.ready, errors: r.errors } : { ok: 0, failed: calls.length, errors: ['no answer'] };
    }
    case 'listen': {
      const result = { ok: 0, failed: 0, errors: [] as string[] };
      await inBatches(calls, CONNECT_CONCURRENCY, async (c) => {
        try {
          await listen(c);
          result.ok++;
        } catch (e) {
          result.failed++;
          if (result.errors.length < 5) result.errors.push(`call ${c.spec.index}: ${(e as Error).message}`);
        }
      });
      return result;
    }
    case 'run': {
      if (cmd.window.announce) await feedRequest({ type: 'window', fromUs: cmd.window.measureFromUs, toUs: cmd.window.endUs });
      await run(cmd.window);
      return {};
    }
    case 'analyze': {
      const expected = calls.reduce((a, c) => a + 2 * c.sentInWindow, 0);
      return {
        latency: latency.toData(),
        jitter: jitter.toData(),
        expected,
        received,
        late,
        outOfOrder,
        corrupted,
        silenceFilled,
        worstStepMs,
        coachSent,
        errors,
        counters,
      } satisfies MediaAnalysis;
    }
    case 'targetStats': {
      const r = await feedRequest({ type: 'stats' });
      return r.type === 'stats' ? r.stats : (null satisfies TargetMediaStats | null);
    }
    case 'close': {
      closing = true;
      feed?.close();
      for (const c of calls) {
        c.media?.close();
        c.control?.close();
      }
      setTimeout(() => process.exit(0), 50);
      return { closed: true };
    }
  }
}

process.on('message', (raw: { id: number; command: MediaWorkerCommand }) => {
  handle(raw.command).then(
    (data) => process.send!({ type: 'reply', id: raw.id, data }),
    (e: unknown) => process.send!({ type: 'error', id: raw.id, message: e instanceof Error ? (e.stack ?? e.message) : String(e) }),
  );
});
process.on('disconnect', () => process.exit(0));
