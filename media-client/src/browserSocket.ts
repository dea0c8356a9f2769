import { MEDIA_FRAME_BYTES } from '@earshot/shared';
import type { SocketFactory } from './audioDevices.js';

/**
 * Frames the browser may hold unsent before the microphone skips some: about a third of a second. Past
 * that the network is behind, and queueing more would only make the listener hear it later.
 */
const MAX_BUFFERED_BYTES = 16 * MEDIA_FRAME_BYTES;

/** The media socket on the browser's WebSocket (also Node 22's), binary frames as ArrayBuffers. */
export const openBrowserSocket: SocketFactory = (url, events) => {
  const ws = new WebSocket(url);
  ws.binaryType = 'arraybuffer';
  ws.onopen = () => events.open();
  ws.onmessage = (e: MessageEvent) => events.message(e.data);
  // An error is always followed by a close, which carries everything there is to know.
  ws.onclose = (e: CloseEvent) => events.close(e.code, e.reason);
  return {
    send(frame) {
      if (ws.readyState !== WebSocket.OPEN || ws.bufferedAmount > MAX_BUFFERED_BYTES) return false;
      ws.send(frame);
      return true;
    },
    close() {
      ws.onmessage = null;
      ws.onclose = null;
      // Closing a socket still connecting makes the browser log an error: let it open, then close it.
      if (ws.readyState === WebSocket.CONNECTING) ws.onopen = () => ws.close(1000);
      else {
        ws.onopen = null;
        ws.close(1000);
      }
    },
  };
};
