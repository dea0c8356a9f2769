import { createSocket, type Socket } from 'node:dgram';
import type { AriRest } from '../../server/src/telephony/asterisk/ariRest.js';
import { decodeAudio } from '../../server/src/telephony/asterisk/g711.js';
import { parseRtp } from '../../server/src/telephony/asterisk/rtpPacket.js';
import { tonesHeard, type ToneName } from './goertzel.js';

/**
 * The opt-in live Asterisk tests' settings: EARSHOT_ASTERISK_URL (unset: the tests skip), EARSHOT_ASTERISK_USER,
 * EARSHOT_ASTERISK_PASSWORD and EARSHOT_ASTERISK_APP (default earshot), EARSHOT_ASTERISK_RTP_ADDRESS (127.0.0.1).
 */
export function liveAsteriskSettings() {
  return {
    url: process.env.EARSHOT_ASTERISK_URL ?? '',
    user: process.env.EARSHOT_ASTERISK_USER || 'earshot',
    password: process.env.EARSHOT_ASTERISK_PASSWORD || 'earshot',
    app: process.env.EARSHOT_ASTERISK_APP || 'earshot',
    rtpAddress: process.env.EARSHOT_ASTERISK_RTP_ADDRESS || '127.0.0.1',
  };
}

/** The dialplan side (`;2`) of a Local channel's half `id` (`;1`): where what that party hears is played. */
export function otherHalf(channels: readonly { id: string; name: string }[], id: string): string {
  const name = channels.find((c) => c.id === id)!.name;
  return channels.find((c) => c.name === name.replace(/;1$/, ';2'))!.id;
}

/** An ear on a channel: a snoop (spy=in: what the channel receives; out: what is sent to it) carried by External Media to a socket of the test. */
export class Ear {
  readonly frames: Int16Array[] = [];
  private constructor(
    readonly socket: Socket,
    readonly id: string,
  ) {
    socket.on('message', (m) => {
      const p = parseRtp(m);
      if (p && p.payloadType === 0) this.frames.push(decodeAudio('ulaw', p.payload));
    });
  }
  static async on(rest: AriRest, rtpAddress: string, channelId: string, id: string, spy: 'in' | 'out' = 'in'): Promise<Ear> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, rtpAddress, resolve));
    const ear = new Ear(socket, id);
    await rest.createBridge(`${id}-bridge`);
    await rest.externalMedia(`${id}-em`, `${rtpAddress}:${socket.address().port}`, 'ulaw');
    await rest.snoop(channelId, `${id}-snoop`, spy, 'none');
    await new Promise((r) => setTimeout(r, 300));
    await rest.addToBridge(`${id}-bridge`, [`${id}-em`, `${id}-snoop`]);
    return ear;
  }
  /** Tones present in at least a fifth of the frames heard since `from`. */
  tonesSince(from: number): ToneName[] {
    return tonesHeard(this.frames.slice(from));
  }
  async close(rest: AriRest) {
    this.socket.close();
    for (const c of [`${this.id}-snoop`, `${this.id}-em`]) await rest.hangup(c).catch(() => {});
    await rest.destroyBridge(`${this.id}-bridge`).catch(() => {});
  }
}
