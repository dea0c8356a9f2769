import { createRequire } from 'node:module';
import { encodeFrameInto, MEDIA_FRAME_SAMPLES } from '@earshot/shared';
import { describe, expect, it } from 'vitest';
import { allocFramedFrame } from './wsFramedFrame.js';

const { Sender } = createRequire(import.meta.url)('ws') as {
  Sender: { frame(data: Buffer, options: { fin: boolean; opcode: number; mask: boolean; readOnly: boolean; rsv1: boolean }): Buffer[] };
};

describe('allocFramedFrame', () => {
  it('lays a media frame out as the very bytes ws sends for it: a final, unmasked binary message', () => {
    const samples = Int16Array.from({ length: MEDIA_FRAME_SAMPLES }, (_, i) => i * 3 - 200);
    const { frame, framed } = allocFramedFrame();
    encodeFrameInto(frame, { track: 'customer', seq: 7, timestamp: 1_800_000_000_123, samples });
    const fromWs = Buffer.concat(Sender.frame(Buffer.from(frame), { fin: true, opcode: 2, mask: false, readOnly: false, rsv1: false }));
    expect(framed.equals(fromWs)).toBe(true);
    expect(framed.subarray(framed.length - frame.length).equals(frame)).toBe(true);
  });
});
