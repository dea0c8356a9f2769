import alawmulaw from 'alawmulaw';

/**
 * The External Media formats Earshot speaks: G.711 μ-law (RTP payload type 0), A-law (8) and 8 kHz
 * signed linear (`slin`, big-endian on the wire as RTP L16 is). All three are 8 kHz, so no resampling.
 */
export type ExternalMediaFormat = 'ulaw' | 'alaw' | 'slin';

export const RTP_PAYLOAD_TYPE: Record<ExternalMediaFormat, number> = { ulaw: 0, alaw: 8, slin: 11 };

export function decodeAudio(format: ExternalMediaFormat, payload: Uint8Array): Int16Array {
  switch (format) {
    case 'ulaw':
      return alawmulaw.mulaw.decode(payload);
    case 'alaw':
      return alawmulaw.alaw.decode(payload);
    case 'slin': {
      const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
      const out = new Int16Array(payload.byteLength >> 1);
      for (let i = 0; i < out.length; i++) out[i] = view.getInt16(i * 2);
      return out;
    }
  }
}

export function encodeAudio(format: ExternalMediaFormat, samples: Int16Array): Uint8Array {
  switch (format) {
    case 'ulaw':
      return alawmulaw.mulaw.encode(samples);
    case 'alaw':
      return alawmulaw.alaw.encode(samples);
    case 'slin': {
      const out = new Uint8Array(samples.length * 2);
      const view = new DataView(out.buffer);
      for (let i = 0; i < samples.length; i++) view.setInt16(i * 2, samples[i]!);
      return out;
    }
  }
}
