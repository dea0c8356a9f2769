/**
 * RTP (RFC 3550) as External Media speaks it: version 2, no padding or extension that we send, no CSRC we
 * send; a received packet may carry CSRCs, an extension or padding, which the parser skips.
 */
export interface RtpPacket {
  payloadType: number;
  marker: boolean;
  sequence: number;
  timestamp: number;
  ssrc: number;
  payload: Uint8Array;
}

const HEADER_BYTES = 12;

/** The packet in `bytes`, or null when it is not RTP version 2 or is cut short. */
export function parseRtp(bytes: Uint8Array): RtpPacket | null {
  if (bytes.length < HEADER_BYTES) return null;
  const b0 = bytes[0]!;
  if (b0 >> 6 !== 2) return null;
  const padding = (b0 & 0x20) !== 0;
  const extension = (b0 & 0x10) !== 0;
  const csrcCount = b0 & 0x0f;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = HEADER_BYTES + csrcCount * 4;
  if (extension) {
    if (bytes.length < offset + 4) return null;
    offset += 4 + view.getUint16(offset + 2) * 4;
  }
  let end = bytes.length;
  if (padding) end -= bytes[bytes.length - 1]!;
  if (end < offset) return null;
  return {
    payloadType: bytes[1]! & 0x7f,
    marker: (bytes[1]! & 0x80) !== 0,
    sequence: view.getUint16(2),
    timestamp: view.getUint32(4),
    ssrc: view.getUint32(8),
    payload: bytes.subarray(offset, end),
  };
}

export function buildRtp(packet: Omit<RtpPacket, 'marker'> & { marker?: boolean }): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES + packet.payload.length);
  const view = new DataView(out.buffer);
  out[0] = 0x80;
  out[1] = (packet.marker ? 0x80 : 0) | (packet.payloadType & 0x7f);
  view.setUint16(2, packet.sequence & 0xffff);
  view.setUint32(4, packet.timestamp >>> 0);
  view.setUint32(8, packet.ssrc >>> 0);
  out.set(packet.payload, HEADER_BYTES);
  return out;
}
