import WebSocket from 'ws';
import { parseAriEvent, type AriEvent } from './ariModel.js';
import type { AriConnection } from './ariRest.js';

export interface AriEventSocketHandlers {
  /** The socket is open: events flow from here on (read what is in progress now, events fill in after). */
  connected(): void;
  event(event: AriEvent): void;
  /**
   * The socket closed or could not open; another try comes after `retryInMs`. `orderly`: Asterisk closed it
   * itself, normally or going away (it is stopping or restarting), rather than the connection dropping.
   */
  disconnected(reason: string, retryInMs: number, orderly: boolean): void;
}

/** WebSocket close codes of a peer that closes on purpose: normal closure, going away (a server stopping). */
const ORDERLY_CLOSES: ReadonlySet<number> = new Set([1000, 1001]);

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

/**
 * ARI's events WebSocket (`/ari/events?app=…`), kept open: after a close it tries again with a backoff that
 * doubles up to a cap and starts over once a connection opens. Not `subscribeAll`: the platform subscribes the
 * application to every channel, bridge and endpoint once connected (AriRest.subscribeToAll), because
 * `subscribeAll` takes device states as well, and on Asterisk 22.10.1 a socket so subscribed that closed while a
 * PJSIP phone's device state changed hung ARI's application registry until Asterisk restarted.
 */
export class AriEventSocket {
  private socket: WebSocket | null = null;
  private timer: NodeJS.Timeout | null = null;
  private delayMs: number;
  private stopped = true;

  constructor(
    private readonly connection: AriConnection,
    private readonly handlers: AriEventSocketHandlers,
    private readonly backoff: BackoffOptions = { initialMs: 500, maxMs: 30_000 },
  ) {
    this.delayMs = backoff.initialMs;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const s = this.socket;
    this.socket = null;
    if (s) {
      s.removeAllListeners();
      s.on('error', () => {});
      s.terminate();
    }
  }

  get isOpen(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  private open(): void {
    const url = new URL(`${this.connection.url.replace(/\/+$/, '')}/ari/events`);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('app', this.connection.app);
    const socket = new WebSocket(url, {
      headers: { authorization: `Basic ${Buffer.from(`${this.connection.user}:${this.connection.password}`).toString('base64')}` },
      handshakeTimeout: 5000,
    });
    this.socket = socket;
    let reason = '';
    socket.on('open', () => {
      // A connection that opened starts the backoff over for the next failure.
      this.delayMs = this.backoff.initialMs;
      this.handlers.connected();
    });
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      let event: AriEvent | null;
      try {
        event = parseAriEvent(data.toString());
      } catch {
        return;
      }
      if (event) this.handlers.event(event);
    });
    socket.on('unexpected-response', (_req, res) => {
      reason = res.statusCode === 401 ? 'ARI refused the user and password (401)' : `ARI answered ${res.statusCode}`;
      socket.terminate();
    });
    socket.on('error', (e) => {
      // Closing after a refusal raises an error of its own; the refusal is the reason worth telling.
      reason ||= e.message;
    });
    socket.on('close', (code, why) => {
      if (this.socket !== socket || this.stopped) return;
      this.socket = null;
      const retryInMs = this.delayMs;
      this.delayMs = Math.min(this.backoff.maxMs, this.delayMs * 2);
      const orderly = !reason && ORDERLY_CLOSES.has(code);
      this.handlers.disconnected(reason || `closed (${code}${why.length ? ` ${why.toString()}` : ''})`, retryInMs, orderly);
      this.timer = setTimeout(() => {
        this.timer = null;
        if (!this.stopped) this.open();
      }, retryInMs);
      this.timer.unref();
    });
  }
}
