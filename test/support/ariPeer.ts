import { createSocket, type Socket } from 'node:dgram';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { testConfig, type ServerConfig } from '../../server/src/app.js';
import { decodeAudio, encodeAudio } from '../../server/src/telephony/asterisk/g711.js';
import type { AsteriskSettings } from '../../server/src/telephony/asterisk/asteriskPlatform.js';
import { buildRtp, parseRtp } from '../../server/src/telephony/asterisk/rtpPacket.js';

/**
 * A scripted Asterisk for tests: ARI's REST resources (channels, bridges, snoop, External Media) and its
 * events WebSocket, as Asterisk's rest-api/api-docs describe them, on port 0. It records every request
 * Earshot makes (`requests`, e.g. `POST /channels/x/snoop/y?app=earshot&spy=in&whisper=none`, the query
 * sorted), and the test drives the calls: a caller handed to the application, the agent answering, the
 * phone holding, either side hanging up, the events connection dropping.
 *
 * Audio follows the table measured on Asterisk 22.10.1 (docs/telephony/asterisk.md): a snoop with spy=in
 * carries the agent's voice, spy=out the customer's; what Earshot sends into a snoop's External Media
 * channel reaches the agent with whisper=out, the customer with whisper=in, both with whisper=both; an
 * External Media channel in the call's bridge (take over) hears the customer and is heard by them.
 */
export interface PeerChannel {
  id: string;
  name: string;
  state: string;
  caller: { name: string; number: string };
  connected: { name: string; number: string };
  creationtime: string;
  channelvars?: Record<string, string>;
  /** A snoop: the channel it snoops and how. */
  snoop?: { target: string; spy: string; whisper: string };
  /** An External Media channel: where its RTP goes, and the peer's socket that takes RTP for it. */
  externalMedia?: { host: string; port: number; socket: Socket; format: string };
  inStasis: boolean;
}

export interface PeerBridge {
  id: string;
  name: string;
  channels: string[];
}

type Voice = (index: number) => Int16Array;

/** The adapter's settings for this peer: its URL, the peer's user, any RTP port, μ-law; `overrides` win. */
export function peerSettings(peer: { url: string }, overrides: Partial<AsteriskSettings> = {}): AsteriskSettings {
  return {
    url: peer.url,
    user: 'earshot',
    password: 'secret',
    app: 'earshot',
    rtpAddress: '127.0.0.1',
    rtpPorts: { min: 0, max: 0 },
    format: 'ulaw',
    ...overrides,
  };
}

export class AriPeer {
  readonly requests: string[] = [];
  readonly channels = new Map<string, PeerChannel>();
  readonly bridges = new Map<string, PeerBridge>();
  /** What each channel's listener heard of the supervisor (frames of whispers and take-over audio), by channel id. */
  readonly heard = new Map<string, Int16Array[]>();
  /** Events sent, in order (types). */
  readonly sent: string[] = [];
  private readonly voices = new Map<string, Voice>();
  private readonly clients = new Set<WebSocket>();
  private server!: Server;
  private wss!: WebSocketServer;
  private counter = 0;
  private clock: NodeJS.Timeout | null = null;
  private frameIndex = 0;
  private refuseEvents = false;
  /** Off: External Media channels get no audio from the peer (a real RTP tool sends it instead). */
  sendAudio = true;
  /**
   * The port an External Media channel reports as `UNICASTRTP_LOCAL_PORT` (where Earshot sends to it), when
   * a real RTP tool stands in for Asterisk's side of that channel; undefined: the peer's own socket.
   */
  reportedPort: (channelId: string) => number | undefined = () => undefined;
  /** Told of every request as it arrives (a test orders it against what a client received). */
  onRequest: (request: string) => void = () => {};
  /** A status to refuse a request with (Asterisk failing it), by its line as `requests` records it; undefined: carried out. */
  refuse: (request: string) => number | undefined = () => undefined;
  url = '';
  connections = 0;

  constructor(
    readonly app = 'earshot',
    readonly user = 'earshot',
    readonly password = 'secret',
  ) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.rest(req, res));
    this.wss = new WebSocketServer({ noServer: true });
    this.server.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://peer');
      if (url.pathname !== '/ari/events' || url.searchParams.get('app') !== this.app || !this.authorized(req) || this.refuseEvents) {
        socket.end(this.refuseEvents ? 'HTTP/1.1 503 Service Unavailable\r\n\r\n' : 'HTTP/1.1 401 Unauthorized\r\n\r\n');
        return;
      }
      this.requests.push(`WS /events?${sortedQuery(url.searchParams)}`);
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        this.clients.add(ws);
        this.connections++;
        ws.on('close', () => this.clients.delete(ws));
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    this.clock = setInterval(() => this.tick(), 20);
    return this;
  }

  async stop(): Promise<void> {
    if (this.clock) clearInterval(this.clock);
    for (const c of this.channels.values()) c.externalMedia?.socket.close();
    for (const ws of this.clients) ws.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ── Driving the calls ─────────────────────────────────────────────────────────────────────────────

  /** A caller the dialplan hands to the application: `Stasis(app,<endpoint>,<queue>)`. */
  placeCall(options: { endpoint: string; queue: string; number?: string; id?: string }): string {
    const id = options.id ?? `1764000000.${++this.counter}`;
    const channel = this.addChannel(id, `PJSIP/trunk-${hex(++this.counter)}`, 'Ring', options.number ?? '+15551234567');
    channel.inStasis = true;
    this.emit({ type: 'StasisStart', args: [options.endpoint, options.queue], channel: this.view(channel) });
    return id;
  }

  /** The agent's phone picks up the channel Earshot dialled: it comes up and enters the application. */
  answer(channelId: string): void {
    const channel = this.must(channelId);
    channel.state = 'Up';
    this.emit({ type: 'ChannelStateChange', channel: this.view(channel) });
    channel.inStasis = true;
    this.emit({ type: 'StasisStart', args: ['agent'], channel: this.view(channel) });
  }

  /** The phone's own hold key (PJSIP raises ChannelHold; ARI's hold request never does). */
  phoneHold(channelId: string, held: boolean): void {
    const channel = this.must(channelId);
    this.emit(held ? { type: 'ChannelHold', channel: this.view(channel) } : { type: 'ChannelUnhold', channel: this.view(channel) });
  }

  /** Someone hangs up from their side. */
  hangup(channelId: string): void {
    this.destroy(channelId);
  }

  /** The events connection drops; with `downMs`, connections are refused that long. */
  dropEvents(downMs = 0): void {
    if (downMs > 0) {
      this.refuseEvents = true;
      setTimeout(() => (this.refuseEvents = false), downMs);
    }
    for (const ws of this.clients) ws.terminate();
  }

  /** Asterisk closes the events connection itself (1001: going away, as when it stops or restarts). */
  closeEvents(code: number, reason: string): void {
    for (const ws of this.clients) ws.close(code, reason);
  }

  /** What a channel's caller or agent says: a frame per 20 ms from `voice`. */
  speak(channelId: string, voice: Voice): void {
    this.voices.set(channelId, voice);
  }

  /** Sends an event to every connected application (a test may send one Earshot must ignore). */
  emit(event: Record<string, unknown>): void {
    const text = JSON.stringify({ ...event, application: this.app, timestamp: new Date().toISOString(), asterisk_id: 'peer' });
    this.sent.push(String(event.type));
    for (const ws of this.clients) ws.send(text);
  }

  externalMediaChannels(): PeerChannel[] {
    return [...this.channels.values()].filter((c) => c.externalMedia);
  }

  snoops(): PeerChannel[] {
    return [...this.channels.values()].filter((c) => c.snoop);
  }

  clearRequests(): void {
    this.requests.length = 0;
  }

  // ── REST ───────────────────────────────────────────────────────────────────────────────────────────

  private async rest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://peer');
    const path = url.pathname.replace(/^\/ari/, '');
    const q = url.searchParams;
    const qs = sortedQuery(q);
    const line = `${req.method} ${decodeURIComponent(path)}${qs ? `?${qs}` : ''}`;
    this.requests.push(line);
    this.onRequest(line);
    const reply = (status: number, body?: unknown) => {
      res.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };
    if (!this.authorized(req)) return reply(401, { message: 'Authentication required' });
    const refusal = this.refuse(line);
    if (refusal !== undefined) return reply(refusal, { message: 'Refused by the test' });
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    const m = req.method;
    try {
      if (parts[0] === 'channels') {
        if (m === 'GET' && parts.length === 1)
          return reply(
            200,
            [...this.channels.values()].map((c) => this.view(c)),
          );
        if (m === 'POST' && parts[1] === 'externalMedia') return reply(200, this.view(await this.createExternalMedia(q)));
        const channel = this.channels.get(parts[1] ?? '');
        if (m === 'POST' && parts.length === 2) {
          // Originate with an id: the agent's phone rings.
          const endpoint = q.get('endpoint') ?? '';
          const c = this.addChannel(
            parts[1]!,
            `${endpoint}-${hex(++this.counter)}${endpoint.startsWith('Local/') ? ';1' : ''}`,
            'Down',
            q.get('callerId') ?? '',
          );
          // A Local channel comes in two halves; Asterisk names the dialplan's half `<id>;2`.
          if (endpoint.startsWith('Local/')) this.addChannel(`${c.id};2`, c.name.replace(/;1$/, ';2'), 'Up', '');
          setTimeout(() => {
            if (!this.channels.has(c.id) || c.state !== 'Down') return;
            c.state = 'Ringing';
            this.emit({ type: 'ChannelStateChange', channel: this.view(c) });
          }, 5);
          return reply(200, this.view(c));
        }
        if (!channel) return reply(404, { message: 'Channel not found' });
        if (m === 'DELETE' && parts.length === 2) {
          this.destroy(channel.id);
          return reply(204);
        }
        if (m === 'POST' && parts[2] === 'snoop') {
          const snoopId = parts[3]!;
          const snoop = this.addChannel(snoopId, `Snoop/${channel.id}-${hex(++this.counter)}`, 'Up', '');
          snoop.snoop = { target: channel.id, spy: q.get('spy') ?? 'none', whisper: q.get('whisper') ?? 'none' };
          this.enterStasisSoon(snoop);
          return reply(200, this.view(snoop));
        }
        if (['answer', 'ring', 'mute', 'moh'].includes(parts[2] ?? '')) return reply(204);
      }
      if (parts[0] === 'applications' && m === 'POST' && parts[1] === this.app && parts[2] === 'subscription') {
        return reply(200, { name: this.app, channel_ids: [], bridge_ids: [], endpoint_ids: [], device_names: [] });
      }
      if (parts[0] === 'bridges') {
        if (m === 'GET' && parts.length === 1)
          return reply(
            200,
            [...this.bridges.values()].map((b) => ({ ...b, bridge_type: 'mixing' })),
          );
        const id = parts[1]!;
        if (m === 'POST' && parts.length === 2) {
          const b: PeerBridge = { id, name: q.get('name') ?? '', channels: [] };
          this.bridges.set(id, b);
          this.emit({ type: 'BridgeCreated', bridge: { ...b, bridge_type: 'mixing' } });
          return reply(200, { ...b, bridge_type: 'mixing' });
        }
        const bridge = this.bridges.get(id);
        if (!bridge) return reply(404, { message: 'Bridge not found' });
        if (m === 'DELETE' && parts.length === 2) {
          this.bridges.delete(id);
          this.emit({ type: 'BridgeDestroyed', bridge });
          return reply(204);
        }
        const ids = (q.get('channel') ?? '').split(',');
        if (parts[2] === 'addChannel') {
          for (const cid of ids) {
            const c = this.channels.get(cid);
            if (!c) return reply(400, { message: 'Channel not found' });
            if (!c.inStasis) return reply(422, { message: 'Channel not in Stasis application' });
          }
          for (const cid of ids) {
            for (const other of this.bridges.values()) other.channels = other.channels.filter((x) => x !== cid);
            bridge.channels.push(cid);
            this.emit({ type: 'ChannelEnteredBridge', bridge, channel: this.view(this.channels.get(cid)!) });
          }
          return reply(204);
        }
        if (parts[2] === 'removeChannel') {
          for (const cid of ids) {
            if (!bridge.channels.includes(cid)) return reply(422, { message: 'Channel not in this bridge' });
            bridge.channels = bridge.channels.filter((x) => x !== cid);
            this.emit({ type: 'ChannelLeftBridge', bridge, channel: this.view(this.channels.get(cid)!) });
          }
          return reply(204);
        }
      }
      return reply(404, { message: 'Resource not found' });
    } catch (e) {
      return reply(500, { message: (e as Error).message });
    }
  }

  private async createExternalMedia(q: URLSearchParams): Promise<PeerChannel> {
    const id = q.get('channelId') ?? `em-${++this.counter}`;
    const [host, port] = splitHost(q.get('external_host') ?? '');
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const local = socket.address().port;
    const channel = this.addChannel(id, `UnicastRTP/${host}:${port}-${hex(++this.counter)}`, 'Up', '');
    channel.externalMedia = { host, port, socket, format: q.get('format') ?? 'ulaw' };
    channel.channelvars = { UNICASTRTP_LOCAL_ADDRESS: '127.0.0.1', UNICASTRTP_LOCAL_PORT: String(this.reportedPort(id) ?? local) };
    socket.on('message', (msg) => {
      const packet = parseRtp(msg);
      if (packet) this.whispered(channel, decodeAudio(channel.externalMedia!.format as 'ulaw', packet.payload));
    });
    this.enterStasisSoon(channel);
    return channel;
  }

  /** Audio Earshot sent into an External Media channel: who hears it depends on what it is bridged to. */
  private whispered(em: PeerChannel, frame: Int16Array): void {
    const bridge = [...this.bridges.values()].find((b) => b.channels.includes(em.id));
    if (!bridge) return;
    for (const otherId of bridge.channels) {
      if (otherId === em.id) continue;
      const other = this.channels.get(otherId);
      if (!other) continue;
      if (other.snoop) {
        const target = this.channels.get(other.snoop.target);
        if (!target) continue;
        const { whisper } = other.snoop;
        if (whisper === 'out' || whisper === 'both') this.hear(target.id, frame);
        if (whisper === 'in' || whisper === 'both') for (const peer of this.peersOf(target.id)) this.hear(peer, frame);
      } else {
        this.hear(otherId, frame);
      }
    }
  }

  private hear(channelId: string, frame: Int16Array): void {
    const list = this.heard.get(channelId) ?? [];
    list.push(frame);
    this.heard.set(channelId, list);
  }

  /** The other members of the bridges `channelId` is in (the customer of an agent, and back). */
  private peersOf(channelId: string): string[] {
    const out: string[] = [];
    for (const b of this.bridges.values())
      if (b.channels.includes(channelId)) out.push(...b.channels.filter((c) => c !== channelId && !this.channels.get(c)?.externalMedia));
    return out;
  }

  /** Every 20 ms: each External Media channel gets the frame it would carry from Asterisk. */
  private tick(): void {
    const index = this.frameIndex++;
    if (!this.sendAudio) return;
    for (const em of this.externalMediaChannels()) {
      const bridge = [...this.bridges.values()].find((b) => b.channels.includes(em.id));
      if (!bridge) continue;
      const sources: string[] = [];
      for (const otherId of bridge.channels) {
        const other = this.channels.get(otherId);
        if (!other || otherId === em.id) continue;
        if (other.snoop) {
          const target = other.snoop.target;
          if (other.snoop.spy === 'in' || other.snoop.spy === 'both') sources.push(target);
          if (other.snoop.spy === 'out' || other.snoop.spy === 'both') sources.push(...this.peersOf(target));
        } else if (!other.externalMedia) sources.push(otherId);
      }
      const mix = new Int16Array(160);
      for (const s of sources) {
        const voice = this.voices.get(s);
        if (!voice) continue;
        const f = voice(index);
        for (let i = 0; i < 160; i++) mix[i] = Math.max(-32768, Math.min(32767, mix[i]! + f[i]!));
      }
      const packet = buildRtp({ payloadType: 0, sequence: index, timestamp: index * 160, ssrc: 0x5eed, payload: encodeAudio('ulaw', mix) });
      em.externalMedia!.socket.send(packet, em.externalMedia!.port, em.externalMedia!.host);
    }
  }

  // ── Channels ──────────────────────────────────────────────────────────────────────────────────────

  private addChannel(id: string, name: string, state: string, number: string): PeerChannel {
    const channel: PeerChannel = {
      id,
      name,
      state,
      caller: { name: '', number },
      connected: { name: '', number: '' },
      creationtime: new Date().toISOString(),
      inStasis: false,
    };
    this.channels.set(id, channel);
    return channel;
  }

  private enterStasisSoon(channel: PeerChannel): void {
    // Asterisk answers the request first and raises StasisStart a moment later.
    setTimeout(() => {
      if (!this.channels.has(channel.id)) return;
      channel.inStasis = true;
      this.emit({ type: 'StasisStart', args: [], channel: this.view(channel) });
    }, 2);
  }

  private destroy(channelId: string): void {
    const channel = this.channels.get(channelId);
    if (!channel) return;
    this.channels.delete(channelId);
    for (const b of this.bridges.values()) {
      if (b.channels.includes(channelId)) {
        b.channels = b.channels.filter((c) => c !== channelId);
        this.emit({ type: 'ChannelLeftBridge', bridge: b, channel: this.view(channel) });
      }
    }
    if (channel.inStasis) this.emit({ type: 'StasisEnd', channel: this.view(channel) });
    this.emit({ type: 'ChannelDestroyed', cause: 16, cause_txt: 'Normal Clearing', channel: { ...this.view(channel), state: 'Down' } });
    channel.externalMedia?.socket.close();
    // A snoop dies with the channel it snoops; the External Media channel bridged to it stays up.
    for (const s of this.snoops()) if (s.snoop!.target === channelId) this.destroy(s.id);
    // The halves of a Local channel die together.
    if (this.channels.has(`${channelId};2`)) this.destroy(`${channelId};2`);
    if (channelId.endsWith(';2')) this.destroy(channelId.slice(0, -2));
  }

  private view(c: PeerChannel) {
    return {
      id: c.id,
      name: c.name,
      state: c.state,
      caller: c.caller,
      connected: c.connected,
      accountcode: '',
      dialplan: { context: 'default', exten: 's', priority: 1, app_name: 'Stasis', app_data: this.app },
      creationtime: c.creationtime,
      language: 'en',
      ...(c.channelvars ? { channelvars: c.channelvars } : {}),
    };
  }

  private must(id: string): PeerChannel {
    const c = this.channels.get(id);
    if (!c) throw new Error(`no channel ${id}`);
    return c;
  }

  private authorized(req: IncomingMessage): boolean {
    return req.headers.authorization === `Basic ${Buffer.from(`${this.user}:${this.password}`).toString('base64')}`;
  }
}

/** A demo server whose telephony is Asterisk at `peer` (RTP on loopback, any port, μ-law). */
export function asteriskTestConfig(peer: AriPeer, overrides: Partial<ServerConfig> = {}): ServerConfig {
  return testConfig({
    demo: true,
    telephony: 'asterisk',
    asterisk: { url: peer.url, user: peer.user, password: peer.password, app: peer.app, rtpAddress: '127.0.0.1', rtpPorts: { min: 0, max: 0 }, format: 'ulaw' },
    ...overrides,
  });
}

/** External Media's `external_host` and the port numbers in it change every run. */
export const portless = (requests: string[]) => requests.map((r) => r.replace(/external_host=127\.0\.0\.1:\d+/, 'external_host=127.0.0.1:PORT'));

function sortedQuery(q: URLSearchParams): string {
  return [...q.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

function splitHost(hostPort: string): [string, number] {
  const i = hostPort.lastIndexOf(':');
  return [hostPort.slice(0, i).replace(/^\[|\]$/g, ''), Number(hostPort.slice(i + 1))];
}

const hex = (n: number) => n.toString(16).padStart(8, '0');
