import { encodeFrameInto, frameSamples, MEDIA_FRAME_SAMPLES, readFrameHeader } from '@earshot/shared';
import { describe, expect, it } from 'vitest';
import { WS_OPCODE, wsMessage } from '../realtime/wsFrame.js';
import { allocFramedFrame } from './wsFramedFrame.js';

const samples = (k: number) => Int16Array.from({ length: MEDIA_FRAME_SAMPLES }, (_, i) => i * k - 200);

describe('allocFramedFrame', () => {
  it('lays a media frame out as the very bytes ws sends for it: a final, unmasked binary message', () => {
    const { frame, framed } = allocFramedFrame();
    encodeFrameInto(frame, { track: 'customer', seq: 7, timestamp: 1_800_000_000_123, samples: samples(3) });
    const fromWs = wsMessage(Buffer.from(frame), WS_OPCODE.binary);
    expect(Buffer.from(framed)).toEqual(fromWs);
    expect(Buffer.from(framed.subarray(framed.length - frame.length))).toEqual(Buffer.from(frame));
  });

  it('frames cut one after another, past a slab, keep their own bytes', () => {
    // More than a slab's worth: each frame is encoded and kept, then all are checked against ws's bytes.
    const kept = Array.from({ length: 200 }, (_, n) => {
      const { frame, framed } = allocFramedFrame();
      encodeFrameInto(frame, { track: n % 2 ? 'agent' : 'customer', seq: n, timestamp: 1_800_000_000_000 + 20 * n, samples: samples(n) });
      return { frame, framed, n };
    });
    for (const { frame, framed, n } of kept) {
      expect(readFrameHeader(frame)).toMatchObject({ ok: true, header: { seq: n, timestamp: 1_800_000_000_000 + 20 * n } });
      expect(frameSamples(frame)).toEqual(samples(n));
      expect(Buffer.from(framed)).toEqual(wsMessage(Buffer.from(frame), WS_OPCODE.binary));
    }
  });
});
