import { describe, expect, it } from 'vitest';
import { MEDIA_FRAME_BYTES, MEDIA_FRAME_SAMPLES } from './constants.js';
import { decodeFrame, encodeFrame, isSilenced, readFrameHeader, silencedCopy, stampFrame } from './frame.js';
import { FrameAssembler, floatToPcm16, pcm16ToFloat } from './pcm.js';

const ramp = () => Int16Array.from({ length: MEDIA_FRAME_SAMPLES }, (_, i) => (i - 80) * 400);

describe('media frames', () => {
  it('round-trips track, seq, timestamp, flags and samples, little-endian at the documented offsets', () => {
    const bytes = encodeFrame({ track: 'supervisor', seq: 0x01020304, timestamp: 1_760_000_000_123, samples: ramp() });
    expect(bytes.byteLength).toBe(MEDIA_FRAME_BYTES);
    expect([...bytes.subarray(0, 8)]).toEqual([1, 2, 0, 0, 0x04, 0x03, 0x02, 0x01]);
    expect(new DataView(bytes.buffer).getFloat64(8, true)).toBe(1_760_000_000_123);
    expect([bytes[16], bytes[17]]).toEqual([0x00, 0x83]); // -32000 = 0x8300
    const r = decodeFrame(bytes);
    expect(r.ok && { ...r.frame, samples: [...r.frame.samples] }).toEqual({
      track: 'supervisor',
      seq: 0x01020304,
      timestamp: 1_760_000_000_123,
      flags: 0,
      samples: [...ramp()],
    });
  });

  it('reads a frame at an odd offset inside a larger buffer (as a socket library may hand it over)', () => {
    const frame = encodeFrame({ track: 'agent', seq: 7, timestamp: 5, samples: ramp() });
    const big = new Uint8Array(MEDIA_FRAME_BYTES + 3);
    big.set(frame, 1);
    const r = decodeFrame(big.subarray(1, 1 + MEDIA_FRAME_BYTES));
    expect(r.ok && r.frame.seq).toBe(7);
    expect(r.ok && [...r.frame.samples]).toEqual([...ramp()]);
  });

  it('refuses a wrong length, version or track, naming it', () => {
    const good = encodeFrame({ track: 'customer', seq: 1, timestamp: 1, samples: ramp() });
    expect(readFrameHeader(good.subarray(0, 20))).toEqual({ ok: false, reason: 'frame: expected 336 bytes, got 20' });
    const v2 = good.slice();
    v2[0] = 2;
    expect(readFrameHeader(v2)).toEqual({ ok: false, reason: 'frame: version 2 is not 1' });
    const t9 = good.slice();
    t9[1] = 9;
    expect(readFrameHeader(t9)).toEqual({ ok: false, reason: 'frame: unknown track code 9' });
    expect(() => encodeFrame({ track: 'agent', seq: 0, timestamp: 0, samples: new Int16Array(10) })).toThrow(/160 samples, not 10/);
  });

  it('a silenced copy keeps the header, sets the flag and zeroes the samples; stamping rewrites the time only', () => {
    const frame = encodeFrame({ track: 'customer', seq: 42, timestamp: 100, samples: ramp() });
    const silent = silencedCopy(frame);
    const r = decodeFrame(silent);
    expect(r.ok && isSilenced(r.frame)).toBe(true);
    expect(r.ok && [r.frame.track, r.frame.seq, r.frame.timestamp]).toEqual(['customer', 42, 100]);
    expect(r.ok && r.frame.samples.every((s) => s === 0)).toBe(true);
    stampFrame(frame, 999);
    const again = decodeFrame(frame);
    expect(again.ok && [again.frame.timestamp, again.frame.seq, again.frame.samples[0]]).toEqual([999, 42, -32000]);
  });
});

describe('FrameAssembler', () => {
  it('cuts blocks of any length into numbered 20 ms frames', () => {
    const assembler = new FrameAssembler('agent', 1000);
    const input = Int16Array.from({ length: 128 * 5 }, (_, i) => i);
    const frames = [0, 1, 2, 3, 4].flatMap((k) => assembler.push(input.subarray(k * 128, (k + 1) * 128)));
    expect(frames).toHaveLength(4);
    const decoded = frames.map((f) => decodeFrame(f)).map((r) => (r.ok ? r.frame : null)!);
    expect(decoded.map((f) => [f.track, f.seq, f.timestamp])).toEqual([
      ['agent', 0, 1000],
      ['agent', 1, 1020],
      ['agent', 2, 1040],
      ['agent', 3, 1060],
    ]);
    expect(decoded[3]!.samples[159]).toBe(639);
  });

  it('converts floats to PCM and back, clipping out-of-range input', () => {
    expect([...floatToPcm16(Float32Array.from([0, 1, -1, 2, -2, 0.5]))]).toEqual([0, 32767, -32768, 32767, -32768, 16384]);
    expect([...pcm16ToFloat(Int16Array.from([32767, -32768, 0]))]).toEqual([1, -1, 0]);
  });
});
