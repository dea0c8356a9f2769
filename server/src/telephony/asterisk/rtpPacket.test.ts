import { describe, expect, it } from 'vitest';
import { decodeAudio, encodeAudio } from './g711.js';
import { buildRtp, parseRtp } from './rtpPacket.js';

describe('RTP packets', () => {
  it('builds the RFC 3550 header byte for byte', () => {
    const bytes = buildRtp({ payloadType: 0, marker: true, sequence: 0x1234, timestamp: 0xdeadbeef, ssrc: 0x01020304, payload: Uint8Array.of(0xff, 0x7f) });
    expect([...bytes]).toEqual([0x80, 0x80, 0x12, 0x34, 0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03, 0x04, 0xff, 0x7f]);
  });

  it('reads back what it built, and wraps sequence and timestamp', () => {
    const packet = parseRtp(buildRtp({ payloadType: 8, sequence: 0x1ffff, timestamp: 2 ** 32 + 5, ssrc: 7, payload: Uint8Array.of(1, 2, 3) }));
    expect(packet).toMatchObject({ payloadType: 8, marker: false, sequence: 0xffff, timestamp: 5, ssrc: 7 });
    expect([...packet!.payload]).toEqual([1, 2, 3]);
  });

  it('skips CSRCs, a header extension and padding', () => {
    const bytes = Uint8Array.of(
      0xb1,
      0x00,
      0,
      1,
      0,
      0,
      0,
      160,
      0,
      0,
      0,
      9, // V=2, P=1, X=1, CC=1, PT 0
      0xaa,
      0xbb,
      0xcc,
      0xdd, // CSRC
      0xbe,
      0xde,
      0x00,
      0x01,
      1,
      2,
      3,
      4, // extension of one word
      0x55,
      0x66, // payload
      0,
      0,
      3, // padding, its length last
    );
    const packet = parseRtp(bytes)!;
    expect(packet.sequence).toBe(1);
    expect(packet.timestamp).toBe(160);
    expect([...packet.payload]).toEqual([0x55, 0x66]);
  });

  it('refuses what is not RTP version 2 or is cut short', () => {
    expect(parseRtp(Uint8Array.of(0x80, 0, 0))).toBeNull();
    expect(parseRtp(new Uint8Array(12).fill(0x40))).toBeNull();
    expect(parseRtp(Uint8Array.of(0x81, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0))).toBeNull();
  });
});

describe('G.711 and slin', () => {
  it('μ-law decodes the G.711 reference code words', () => {
    expect([...decodeAudio('ulaw', Uint8Array.of(0xff, 0x7f, 0x80, 0x00, 0xef))]).toEqual([0, 0, 32124, -32124, 132]);
    expect([...encodeAudio('ulaw', Int16Array.of(0, 32767, -32768))]).toEqual([0xff, 0x80, 0x00]);
  });

  it('A-law decodes the G.711 reference code words', () => {
    expect([...decodeAudio('alaw', Uint8Array.of(0xd5, 0x55, 0xaa, 0x2a))]).toEqual([8, -8, 32256, -32256]);
    expect([...encodeAudio('alaw', Int16Array.of(0, 32767, -32768))]).toEqual([0xd5, 0xaa, 0x2a]);
  });

  it('slin is big-endian 16-bit on the wire', () => {
    expect([...encodeAudio('slin', Int16Array.of(0x0102, -2))]).toEqual([0x01, 0x02, 0xff, 0xfe]);
    expect([...decodeAudio('slin', Uint8Array.of(0x01, 0x02, 0xff, 0xfe))]).toEqual([0x0102, -2]);
  });
});
