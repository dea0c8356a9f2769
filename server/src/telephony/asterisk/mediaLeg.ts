import type { AriRest, SnoopDirection } from './ariRest.js';
import type { ExternalMediaFormat } from './g711.js';
import { RtpLeg, type RtpPortRange } from './rtpLeg.js';

export interface MediaLegDeps {
  rest: AriRest;
  /** Resolves once the channel has entered our Stasis application (a channel must be in it to join a bridge). */
  inStasis(channelId: string): Promise<void>;
  rtpAddress: string;
  rtpPorts: RtpPortRange;
  format: ExternalMediaFormat;
}

/**
 * One stream of audio between Asterisk and Earshot: an External Media channel (RTP to our UDP socket) in a
 * bridge of its own with a snoop on the agent's channel, or, for a taken-over call, in the call's bridge.
 * Every channel and bridge is named by us (`earshot-…`), so that after a reconnect what is ours is known
 * by its id: External Media channels take no appArgs.
 */
export class MediaLeg {
  private snoopId: string | null = null;
  private snoopCount = 0;
  private closed = false;

  private constructor(
    private readonly deps: MediaLegDeps,
    readonly id: string,
    readonly rtp: RtpLeg,
    /** The bridge the External Media channel sits in: ours (a snoop leg) or the call's (take over). */
    private readonly bridgeId: string,
    private readonly ownsBridge: boolean,
  ) {}

  get externalMediaId(): string {
    return `${this.id}-em`;
  }

  get currentSnoopId(): string | null {
    return this.snoopId;
  }

  /** Opens the UDP socket, then the External Media channel, then puts it in `bridgeId` (created when `ownsBridge`). */
  static async open(deps: MediaLegDeps, id: string, bridge: { id: string; own: boolean }, onFrame: (frame: Int16Array) => void): Promise<MediaLeg> {
    const rtp = await RtpLeg.open(deps.rtpAddress, deps.rtpPorts, deps.format, onFrame);
    const leg = new MediaLeg(deps, id, rtp, bridge.id, bridge.own);
    try {
      if (bridge.own) await deps.rest.createBridge(bridge.id);
      const channel = await deps.rest.externalMedia(leg.externalMediaId, `${hostForUrl(deps.rtpAddress)}:${rtp.port}`, deps.format);
      const vars = channel.channelvars ?? {};
      const port = Number(vars.UNICASTRTP_LOCAL_PORT);
      if (vars.UNICASTRTP_LOCAL_ADDRESS && Number.isInteger(port) && port > 0) rtp.setRemote(vars.UNICASTRTP_LOCAL_ADDRESS, port);
      await deps.inStasis(leg.externalMediaId);
      await deps.rest.addToBridge(bridge.id, [leg.externalMediaId]);
      return leg;
    } catch (e) {
      await leg.close();
      throw e;
    }
  }

  /**
   * Snoops on `channelId` with `spy` and `whisper`, replacing the snoop this leg had: the old one leaves
   * first, so no whisper of the old kind outlives the change (a downgrade from barge to coach must not let
   * the customer hear one more word).
   */
  async snoop(channelId: string, spy: SnoopDirection, whisper: SnoopDirection): Promise<void> {
    await this.dropSnoop();
    const snoopId = `${this.id}-snoop${++this.snoopCount}`;
    this.snoopId = snoopId;
    await this.deps.rest.snoop(channelId, snoopId, spy, whisper);
    await this.deps.inStasis(snoopId);
    await this.deps.rest.addToBridge(this.bridgeId, [snoopId]);
  }

  /** Tears down what this leg made; a channel or bridge already gone (the call ended) is no error. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.rtp.close();
    await this.dropSnoop();
    await ignoreGone(this.deps.rest.hangup(this.externalMediaId));
    if (this.ownsBridge) await ignoreGone(this.deps.rest.destroyBridge(this.bridgeId));
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private async dropSnoop(): Promise<void> {
    const old = this.snoopId;
    this.snoopId = null;
    if (old) await ignoreGone(this.deps.rest.hangup(old));
  }
}

/** A request on a channel or bridge that is already gone answers 404 (or 422 for a channel leaving): the goal is met. */
export async function ignoreGone(request: Promise<void>): Promise<void> {
  try {
    await request;
  } catch (e) {
    const status = (e as { status?: number }).status;
    if (status !== 404 && status !== 422) throw e;
  }
}

function hostForUrl(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}
