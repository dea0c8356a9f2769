/**
 * The media bench's baseline: a bare `ws` relay, no auth, no routing rules, no jitter buffer, no recorder.
 * It takes the same feed as the Earshot server (`FEED_PATH`) and forwards each frame at once, as a media
 * frame of the product's layout, to the listener of its call (`LISTEN_PATH?call=<index>`); a listener's
 * own frames (coach) are measured and dropped. Its transport is the product's: a listener's frames of one
 * event-loop turn leave in one write (the socket corked for the turn), so what the comparison shows is
 * the product's own work, not a cheaper way to write to a socket. Run in its own process:
 * `node --import tsx test/bench/mediaRelay.ts`; it prints `media relay on <port>`.
 */
import { createServer } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { MEDIA_FRAME_BYTES, MEDIA_FRAME_HEADER_BYTES, MEDIA_FRAME_VERSION, MEDIA_TRACKS } from '@earshot/shared';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { FEED_PATH, feedFrames, LISTEN_PATH } from './mediaFeed.js';
import { TargetSide } from './mediaTargetSide.js';

const listeners = new Map<number, WebSocket>();
const corked = new Set<Duplex>();
const uncorkAll = () => {
  for (const raw of corked) raw.uncork();
  corked.clear();
};
const seqs = new Map<number, Uint32Array>();
let forwarded = 0;
let unheard = 0;
const side = new TargetSide(
  (calls) => ({ ready: calls.length, errors: [] }),
  () => ({ forwarded, unheard, listeners: listeners.size }),
);

const http = createServer();
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
http.on('upgrade', (req, socket, head) => {
  const url = new URL(req.url ?? '/', 'http://relay.invalid');
  if (url.pathname !== FEED_PATH && url.pathname !== LISTEN_PATH) return socket.destroy();
  wss.handleUpgrade(req, socket, head, (ws) => {
    ws.on('error', () => undefined);
    if (url.pathname === FEED_PATH) {
      ws.on('message', (data: RawData, isBinary: boolean) => (isBinary ? feed(data as Buffer) : side.request(ws, data.toString())));
      return;
    }
    const call = Number(url.searchParams.get('call'));
    listeners.set(call, ws);
    seqs.set(call, new Uint32Array(MEDIA_TRACKS.length));
    ws.on('message', (data: Buffer) => side.supervisorFrame(data.subarray(MEDIA_FRAME_HEADER_BYTES)));
    ws.on('close', () => {
      if (listeners.get(call) === ws) listeners.delete(call);
    });
  });
});

function feed(message: Uint8Array): void {
  const now = Date.now();
  for (const f of feedFrames(message)) {
    const ws = listeners.get(f.call);
    if (!ws) {
      unheard++;
      continue;
    }
    const code = MEDIA_TRACKS.indexOf(f.track);
    const seq = seqs.get(f.call)!;
    // Node's pool, as the product allocates its frames.
    const out = Buffer.allocUnsafe(MEDIA_FRAME_BYTES);
    const view = new DataView(out.buffer, out.byteOffset, MEDIA_FRAME_BYTES);
    view.setUint8(0, MEDIA_FRAME_VERSION);
    view.setUint8(1, code);
    view.setUint16(2, 0);
    view.setUint32(4, seq[code]!++, true);
    view.setFloat64(8, now, true);
    out.set(f.samples, MEDIA_FRAME_HEADER_BYTES);
    const raw = (ws as unknown as { _socket?: Duplex })._socket;
    if (raw && !corked.has(raw)) {
      if (corked.size === 0) process.nextTick(uncorkAll);
      corked.add(raw);
      raw.cork();
    }
    ws.send(out, { binary: true });
    forwarded++;
  }
}

http.listen(0, '127.0.0.1', () => console.log(`media relay on ${(http.address() as AddressInfo).port}`));
const stop = () => {
  for (const ws of wss.clients) ws.terminate();
  http.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
