import { MEDIA_FRAME_BYTES } from '@earshot/shared';

/**
 * The header of an unmasked, final, binary WebSocket message of one media frame (RFC 6455 5.2), as a server
 * sends it: the frame's length fits the 16-bit extended length.
 */
const WS_HEADER = Buffer.from([0x82, 126, MEDIA_FRAME_BYTES >> 8, MEDIA_FRAME_BYTES & 0xff]);

/**
 * A media frame laid out behind its WebSocket header in one buffer. The platform's frames are encoded into
 * one of these, once for all their listeners: each listener's socket then takes one buffer as it is, where
 * `ws` would build a header and hand the socket two for every frame and every listener.
 */
export interface FramedFrame {
  /** The media frame (what `ws.send` would be given). */
  frame: Buffer;
  /** The same bytes behind the WebSocket header: the whole message. */
  framed: Buffer;
}

export function allocFramedFrame(): FramedFrame {
  const framed = Buffer.allocUnsafe(WS_HEADER.length + MEDIA_FRAME_BYTES);
  WS_HEADER.copy(framed, 0);
  return { frame: framed.subarray(WS_HEADER.length), framed };
}
