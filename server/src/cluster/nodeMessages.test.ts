import { describe, expect, it } from 'vitest';
import { ForwardingMessageSchema, KeptEndsMessageSchema, PresenceMessageSchema, readNodeMessage } from './nodeMessages.js';

describe('readNodeMessage', () => {
  it('reads a well-formed message of each kind', () => {
    expect(readNodeMessage(PresenceMessageSchema, '{"node":"B","userId":7,"present":true}')).toEqual({
      ok: true,
      message: { node: 'B', userId: 7, present: true },
    });
    expect(readNodeMessage(KeptEndsMessageSchema, '{"users":[3,4]}')).toEqual({ ok: true, message: { users: [3, 4] } });
    const reply = { t: 'reply', id: 'r1', answer: { ok: false, error: { code: 'CONFLICT', message: 'taken' } } };
    expect(readNodeMessage(ForwardingMessageSchema, JSON.stringify(reply))).toEqual({ ok: true, message: reply });
  });

  it('names what is wrong with a message that is not one, instead of throwing', () => {
    expect(readNodeMessage(PresenceMessageSchema, 'not json')).toEqual({ ok: false, reason: 'not JSON' });
    expect(readNodeMessage(PresenceMessageSchema, '{"node":"B","userId":"7","present":true}')).toEqual({
      ok: false,
      reason: 'userId: Invalid input: expected number, received string',
    });
    expect(readNodeMessage(KeptEndsMessageSchema, '[1]')).toEqual({ ok: false, reason: 'message: Invalid input: expected object, received array' });
    const noCaller = readNodeMessage(ForwardingMessageSchema, '{"t":"request","id":"x","from":"B","action":{"event":"supervise:start","payload":{}}}');
    expect(noCaller).toEqual({ ok: false, reason: 'action.caller: Invalid input: expected object, received undefined' });
  });
});
