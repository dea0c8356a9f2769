import { encodeFrameInto, MEDIA_FRAME_SAMPLES } from '@earshot/shared';
import { describe, expect, it } from 'vitest';
import { WS_OPCODE, wsMessage } from '../realtime/wsFrame.js';
import { allocFramedFrame } from './wsFramedFrame.js';

describe('allocFramedFrame', () => {
  it('lays a media frame out as the very bytes ws sends for it: a final, unmasked binary message', () => {
    const samples = Int16Array.from({ length: MEDIA_FRAME_SAMPLES }, (_, i) => i * 3 - 200);
    const { frame, framed } = allocFramedFrame();
    encodeFrameInto(frame, { track: 'customer', seq: 7, timestamp: 1_800_000_000_123, samples });
    const fromWs = wsMessage(Buffer.from(frame), WS_OPCODE.binary);
    expect(framed.equals(fromWs)).toBe(true);
    expect(framed.subarray(framed.length - frame.length).equals(frame)).toBe(true);
  });
});
