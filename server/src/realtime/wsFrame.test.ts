import { expect, it } from 'vitest';
import { WS_OPCODE, wsMessage, wsTextMessage } from './wsFrame.js';

it('lays a text message out byte for byte as ws frames it, on each side of the length encodings', () => {
  for (const length of [0, 1, 124, 125, 126, 127, 300, 65_534, 65_535, 65_536, 70_000]) {
    const text = 'x'.repeat(length);
    expect(wsTextMessage('4', text)).toEqual(wsMessage(Buffer.from(`4${text}`), WS_OPCODE.text));
  }
});

it('counts the length in UTF-8 bytes, not in characters', () => {
  const text = '["board:delta",{"name":"Zoë Ångström 👩‍💼"}]';
  const frame = wsTextMessage('4', text);
  expect(frame).toEqual(wsMessage(Buffer.from(`4${text}`), WS_OPCODE.text));
  expect(frame[1]).toBe(Buffer.byteLength(`4${text}`));
  expect(frame.subarray(2).toString('utf8')).toBe(`4${text}`);
});
