import { randomInt } from 'node:crypto';
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { decodeAudio, encodeAudio, RTP_PAYLOAD_TYPE, type ExternalMediaFormat } from './g711.js';
import { buildRtp, parseRtp } from './rtpPacket.js';

/** 20 ms at 8 kHz: the frame the media plane works in. */
export const FRAME_SAMPLES = 160;

export interface RtpPortRange {
  /** 0 and 0: any free port (tests). */
  min: number;
  max: number;
}

/** `slin` also arrives as payload type 10 (Asterisk's two-channel entry for the same format). */
const ACCEPTED_PAYLOAD_TYPES: Record<ExternalMediaFormat, readonly number[]> = { ulaw: [0], alaw: [8], slin: [10, 11] };

/**
 * One External Media leg's UDP socket: RTP from Asterisk in (decoded into 160-sample frames), and, on a
 * whisper leg, the supervisor's voice back out. Asterisk's External Media channel plays what arrives at
 * the address it reports in `UNICASTRTP_LOCAL_ADDRESS`/`PORT`: replies go there, or, when it reported none,
 * to where its packets come from.
 */
export class RtpLeg {
  private remote: { address: string; port: number } | null = null;
  private remoteReported = false;
  private pending = new Int16Array(0);
  private sequence = randomInt(0, 0x10000);
  private timestamp = randomInt(0, 0x100000000);
  private readonly ssrc = randomInt(0, 0x100000000);
  private closed = false;
  packetsIn = 0;
  packetsOut = 0;

  private constructor(
    private readonly socket: Socket,
    readonly port: number,
    private readonly format: ExternalMediaFormat,
    private readonly onFrame: (frame: Int16Array) => void,
  ) {
    socket.on('message', (msg: Buffer, from: RemoteInfo) => this.received(msg, from));
    socket.on('error', () => {
      // A send to a port nobody listens on yet comes back as an ICMP error on some systems: not fatal.
    });
  }

  /** Binds a socket on `address` at the first free port of `range`. */
  static async open(address: string, range: RtpPortRange, format: ExternalMediaFormat, onFrame: (frame: Int16Array) => void): Promise<RtpLeg> {
    if (range.min === 0) {
      const socket = await bind(address, 0);
      return new RtpLeg(socket, socket.address().port, format, onFrame);
    }
    // RTP takes the even port; start at a random place so that legs closed a moment ago are not reused first.
    const count = Math.floor((range.max - range.min) / 2) + 1;
    const start = randomInt(0, count);
    for (let i = 0; i < count; i++) {
      const port = range.min + ((start + i) % count) * 2;
      try {
        const socket = await bind(address, port);
        return new RtpLeg(socket, port, format, onFrame);
      } catch {
        // In use: the next one.
      }
    }
    throw new Error(`no free RTP port in ${range.min}-${range.max} on ${address}`);
  }

  /** Where Asterisk takes RTP for this channel (`UNICASTRTP_LOCAL_ADDRESS`/`PORT`): the whisper's destination. */
  setRemote(address: string, port: number): void {
    this.remote = { address, port };
    this.remoteReported = true;
  }

  /** One frame of the supervisor's voice, sent as one RTP packet. */
  send(frame: Int16Array): void {
    if (this.closed || !this.remote) return;
    const packet = buildRtp({
      payloadType: RTP_PAYLOAD_TYPE[this.format],
      sequence: this.sequence,
      timestamp: this.timestamp,
      ssrc: this.ssrc,
      marker: this.packetsOut === 0,
      payload: encodeAudio(this.format, frame),
    });
    this.sequence = (this.sequence + 1) & 0xffff;
    this.timestamp = (this.timestamp + frame.length) >>> 0;
    this.packetsOut++;
    this.socket.send(packet, this.remote.port, this.remote.address);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.close();
  }

  private received(msg: Buffer, from: RemoteInfo): void {
    const packet = parseRtp(msg);
    if (!packet || !ACCEPTED_PAYLOAD_TYPES[this.format].includes(packet.payloadType)) return;
    this.packetsIn++;
    if (!this.remoteReported) this.remote = { address: from.address, port: from.port };
    const samples = decodeAudio(this.format, packet.payload);
    // Asterisk sends 20 ms packets, but nothing in RTP promises it: cut whatever comes into 160-sample frames.
    let buffer = samples;
    if (this.pending.length > 0) {
      buffer = new Int16Array(this.pending.length + samples.length);
      buffer.set(this.pending);
      buffer.set(samples, this.pending.length);
    }
    let offset = 0;
    for (; offset + FRAME_SAMPLES <= buffer.length; offset += FRAME_SAMPLES) this.onFrame(buffer.slice(offset, offset + FRAME_SAMPLES));
    this.pending = buffer.slice(offset);
  }
}

function bind(address: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(address.includes(':') ? 'udp6' : 'udp4');
    socket.once('error', reject);
    socket.bind(port, address, () => {
      socket.off('error', reject);
      resolve(socket);
    });
  });
}
