import { z } from 'zod';
import { ariBridgeSchema, ariChannelSchema, type AriBridge, type AriChannel } from './ariModel.js';

export interface AriConnection {
  /** `http://asterisk:8088` (the `/ari` prefix is added here). */
  url: string;
  user: string;
  password: string;
  app: string;
}

export type SnoopDirection = 'none' | 'in' | 'out' | 'both';

/** A refused or failed ARI request: the method, path and Asterisk's status and message, never the credentials. */
export class AriRequestError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    detail: string,
  ) {
    super(`ARI ${method} ${path}: ${status} ${detail}`);
  }
}

type Query = Record<string, string | undefined>;

/**
 * ARI's REST resources that Earshot uses (channels, bridges, snoop, External Media), over fetch with basic
 * auth. Parameters go in the query string, as ARI documents them.
 */
export class AriRest {
  private readonly authorization: string;
  private readonly base: string;

  constructor(
    private readonly connection: AriConnection,
    private readonly timeoutMs = 5000,
  ) {
    this.authorization = `Basic ${Buffer.from(`${connection.user}:${connection.password}`).toString('base64')}`;
    this.base = `${connection.url.replace(/\/+$/, '')}/ari`;
  }

  listChannels(): Promise<AriChannel[]> {
    return this.request('GET', '/channels', {}, z.array(ariChannelSchema));
  }

  listBridges(): Promise<AriBridge[]> {
    return this.request('GET', '/bridges', {}, z.array(ariBridgeSchema));
  }

  /**
   * Subscribes our application to every channel, bridge and endpoint (an event source without an id is all of its
   * kind): the agents' channels belong to the PBX's dialplan until a call reaches the application, and their state
   * and hold changes must be seen all the same. Device states are left out on purpose (see AriEventSocket).
   */
  async subscribeToAll(): Promise<void> {
    await this.request('POST', `/applications/${enc(this.connection.app)}/subscription`, { eventSource: 'channel:,bridge:,endpoint:' }, null);
  }

  /** A snoop on `channelId`, named by us, entering our Stasis application. */
  snoop(channelId: string, snoopId: string, spy: SnoopDirection, whisper: SnoopDirection): Promise<AriChannel> {
    return this.request('POST', `/channels/${enc(channelId)}/snoop/${enc(snoopId)}`, { spy, whisper, app: this.connection.app }, ariChannelSchema);
  }

  /**
   * An External Media channel that sends its audio as RTP over UDP to `externalHost` (`host:port`) and plays
   * what comes back. It takes no appArgs: Earshot knows it by the `channelId` it chose.
   */
  externalMedia(channelId: string, externalHost: string, format: string): Promise<AriChannel> {
    return this.request(
      'POST',
      '/channels/externalMedia',
      {
        channelId,
        app: this.connection.app,
        external_host: externalHost,
        format,
        encapsulation: 'rtp',
        transport: 'udp',
        direction: 'both',
      },
      ariChannelSchema,
    );
  }

  /** Originates a channel to `endpoint` that enters our Stasis application when answered. */
  originate(channelId: string, endpoint: string, appArgs: string, callerId?: string): Promise<AriChannel> {
    return this.request('POST', `/channels/${enc(channelId)}`, { endpoint, app: this.connection.app, appArgs, callerId }, ariChannelSchema);
  }

  async hangup(channelId: string): Promise<void> {
    await this.request('DELETE', `/channels/${enc(channelId)}`, { reason: 'normal' }, null);
  }

  async answer(channelId: string): Promise<void> {
    await this.request('POST', `/channels/${enc(channelId)}/answer`, {}, null);
  }

  async ring(channelId: string): Promise<void> {
    await this.request('POST', `/channels/${enc(channelId)}/ring`, {}, null);
  }

  /** Stops audio from (`in`), to (`out`) or both ways through the channel, in Asterisk's bridge. */
  async mute(channelId: string, direction: 'in' | 'out' | 'both'): Promise<void> {
    await this.request('POST', `/channels/${enc(channelId)}/mute`, { direction }, null);
  }

  async unmute(channelId: string, direction: 'in' | 'out' | 'both'): Promise<void> {
    await this.request('DELETE', `/channels/${enc(channelId)}/mute`, { direction }, null);
  }

  /** Plays the channel music on hold (Asterisk's `default` class, musiconhold.conf). */
  async startMusicOnHold(channelId: string): Promise<void> {
    await this.request('POST', `/channels/${enc(channelId)}/moh`, {}, null);
  }

  async stopMusicOnHold(channelId: string): Promise<void> {
    await this.request('DELETE', `/channels/${enc(channelId)}/moh`, {}, null);
  }

  /** A mixing bridge named by us; `name` carries what a later run must know of it (the call's queue). */
  createBridge(bridgeId: string, name?: string): Promise<AriBridge> {
    return this.request('POST', `/bridges/${enc(bridgeId)}`, { type: 'mixing', name }, ariBridgeSchema);
  }

  async destroyBridge(bridgeId: string): Promise<void> {
    await this.request('DELETE', `/bridges/${enc(bridgeId)}`, {}, null);
  }

  async addToBridge(bridgeId: string, channelIds: readonly string[]): Promise<void> {
    await this.request('POST', `/bridges/${enc(bridgeId)}/addChannel`, { channel: channelIds.join(',') }, null);
  }

  async removeFromBridge(bridgeId: string, channelIds: readonly string[]): Promise<void> {
    await this.request('POST', `/bridges/${enc(bridgeId)}/removeChannel`, { channel: channelIds.join(',') }, null);
  }

  private async request<T>(method: string, path: string, query: Query, schema: z.ZodType<T> | null): Promise<T> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, v);
    const qs = params.toString();
    const res = await fetch(`${this.base}${path}${qs ? `?${qs}` : ''}`, {
      method,
      headers: { authorization: this.authorization, accept: 'application/json' },
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await res.text();
    if (!res.ok) {
      let detail = res.statusText;
      try {
        detail = (JSON.parse(text) as { message?: string }).message ?? detail;
      } catch {
        // ARI answers most errors with {"message": ...}; a proxy in between may not.
      }
      throw new AriRequestError(method, path, res.status, detail);
    }
    if (schema === null) return undefined as T;
    return schema.parse(JSON.parse(text));
  }
}

const enc = encodeURIComponent;
