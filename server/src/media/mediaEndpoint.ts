import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { MEDIA_CLOSE_CODES, MEDIA_FRAME_BYTES, MEDIA_FRAME_MS, MEDIA_PATH, readFrameHeader, type Ack } from '@earshot/shared';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { ActionError } from '../domain/actionError.js';
import { HTTP_STATUS } from '../httpStatus.js';
import type { FloorLogger } from '../live/floorPublisher.js';
import { originAllowed } from '../realtime/originPolicy.js';
import { toWireError } from '../wireError.js';
import type { FrameSocket } from './mediaConsumer.js';
import type { MediaConnection, MediaPlane } from './mediaPlane.js';
import { trackSentBy, type MediaBinding, type MediaTokenRedeemer } from './mediaToken.js';
import { TokenBucket } from '../domain/tokenBucket.js';
import { TurnWrites } from './turnWrites.js';

export interface MediaEndpointDeps {
  media: MediaPlane;
  redeemer: MediaTokenRedeemer;
  originAllowlist: readonly string[];
  now: () => number;
  log: FloorLogger;
}

/** Frames a sender may run ahead of real time (a burst after a network stall) before it is refused. */
const INBOUND_BURST_FRAMES = 150;
/** Real time, with a tenth of slack for the sender's clock. */
const INBOUND_FRAMES_PER_MS = 1.1 / MEDIA_FRAME_MS;
/** A socket the server closes has this long to answer the close before it is cut. */
const CLOSE_GRACE_MS = 5000;

/** A refused upgrade is an HTTP answer with the usual envelope, before any WebSocket exists. */
function refuseUpgrade(socket: Duplex, e: unknown): void {
  const error = toWireError(e);
  const status = HTTP_STATUS[error.code];
  const body = JSON.stringify({ ok: false, error } satisfies Ack<never>);
  socket.on('error', () => undefined);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function frameSocketOf(ws: WebSocket): FrameSocket {
  // The TCP socket under an upgraded WebSocket (`ws` keeps it to itself).
  const raw = (ws as unknown as { _socket: Duplex })._socket;
  const writes = new TurnWrites(raw);
  return {
    send: (frame, done, framed) => {
      // Closing or closed: `ws` refuses the frame and tells `done` why.
      if (ws.readyState !== ws.OPEN) return ws.send(frame, { binary: true }, done);
      writes.wrote(done);
      // A whole message written as it is, in its turn among `ws`'s own writes: this server's `ws` never
      // holds a message back (no compression), so what it sends reaches the socket in the order it is sent.
      if (framed) raw.write(framed);
      else ws.send(frame, { binary: true });
    },
    probe: (mark) => {
      writes.wrote();
      ws.ping(mark);
    },
    close: (code, reason) => {
      ws.close(code, reason);
      setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
    },
  };
}

/**
 * The media endpoint (docs/architecture.md "Media plane"): WebSocket upgrades to `MEDIA_PATH` on the server's
 * own HTTP server, beside socket.io, whose path it leaves alone. An upgrade needs an allowed origin and a
 * media token whose session or call still holds; then the socket carries binary frames of its own track,
 * each one checked, with `maxPayload` at one frame.
 */
export function attachMediaEndpoint(server: Server, deps: MediaEndpointDeps): { close(): void; connections(): number } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MEDIA_FRAME_BYTES, perMessageDeflate: false });

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Not ours (socket.io's, or a target no URL parser takes): left to the other listeners.
    const url = URL.parse(req.url ?? '/', 'http://media.invalid');
    if (url?.pathname !== MEDIA_PATH) return;
    let binding: MediaBinding;
    try {
      if (!originAllowed(req.headers, deps.originAllowlist, (socket as TLSSocket).encrypted === true)) {
        throw new ActionError('FORBIDDEN', `Origin ${req.headers.origin} is not allowed`);
      }
      binding = deps.redeemer.redeem(url.searchParams.get('token'), deps.now());
      deps.media.admit(binding);
    } catch (e) {
      if (!(e instanceof ActionError)) deps.log.error(e, 'media upgrade failed');
      return refuseUpgrade(socket, e);
    }
    wss.handleUpgrade(req, socket, head, (ws) => serve(ws, binding));
  };

  const serve = (ws: WebSocket, binding: MediaBinding) => {
    // Protocol errors (a message over maxPayload: 1009) close the socket; nothing else to do about them.
    ws.on('error', () => undefined);
    const socket = frameSocketOf(ws);
    let connection: MediaConnection;
    try {
      connection = deps.media.attach(binding, socket);
    } catch (e) {
      socket.close(MEDIA_CLOSE_CODES.ENDED, toWireError(e).message.slice(0, 120));
      return;
    }
    const sends = trackSentBy(binding);
    // Real elapsed time, not the server's (injectable) clock: the budget is about how fast frames arrive.
    // Counted in frames: a client may not flood the listeners and the recorder faster than real time.
    const budget = new TokenBucket(INBOUND_BURST_FRAMES, INBOUND_FRAMES_PER_MS, performance.now());
    let refused = false;
    const refuse = (code: number, reason: string) => {
      refused = true;
      socket.close(code, reason.slice(0, 120));
    };
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (refused) return;
      if (!isBinary) return refuse(MEDIA_CLOSE_CODES.INVALID_FRAME, 'frame: text messages are not part of the media protocol');
      const bytes = data as Buffer;
      const reading = readFrameHeader(bytes);
      if (!reading.ok) return refuse(MEDIA_CLOSE_CODES.INVALID_FRAME, reading.reason);
      if (reading.header.track !== sends) {
        return refuse(MEDIA_CLOSE_CODES.INVALID_FRAME, `frame: this socket sends the ${sends} track, not ${reading.header.track}`);
      }
      if (!budget.take(performance.now())) return refuse(MEDIA_CLOSE_CODES.TOO_FAST, 'too fast: frames arrive faster than real time');
      try {
        connection.receive(bytes, reading.header);
      } catch (e) {
        // An emitter's listener must not throw: that would take the process down.
        deps.log.error(e, 'media frame failed', { callId: binding.callId, userId: binding.userId });
        refuse(MEDIA_CLOSE_CODES.INTERNAL, 'internal error');
      }
    });
    ws.on('pong', (mark: Buffer) => connection.answered(mark));
    ws.on('close', () => connection.closed());
  };

  server.on('upgrade', onUpgrade);
  return {
    connections: () => wss.clients.size,
    close() {
      server.off('upgrade', onUpgrade);
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}
