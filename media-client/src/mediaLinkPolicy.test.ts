import { describe, expect, it } from 'vitest';
import { closeOutcome, mediaSocketUrl, tokenRefusal } from './mediaLinkPolicy.js';
import { microphoneProblem } from './microphoneProblem.js';

/** A refusal as the agent SDK rejects with it (`AgentClientError`): an Error that carries the wire code. */
class CodedError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

describe('closeOutcome (media README "Closing")', () => {
  it('4000 ends with the reason, 4409 is replaced, 4400 fails; the rest are tried again', () => {
    expect(closeOutcome(4000, 'call-ended')).toEqual({ kind: 'ended', reason: 'call-ended' });
    expect(closeOutcome(4409, 'replaced by a newer media socket')).toEqual({ kind: 'replaced' });
    expect(closeOutcome(4400, 'frame: version 2 is not 1')).toEqual({
      kind: 'failed',
      message: "The server refused this page's audio: frame: version 2 is not 1",
    });
    for (const code of [1001, 1006, 1011, 4408, 4429]) expect(closeOutcome(code, '')).toEqual({ kind: 'retry' });
  });
});

describe('tokenRefusal', () => {
  it('a session or call that is gone, or not the caller’s, is final; a dropped control connection is not', () => {
    expect(tokenRefusal(new CodedError('NOT_FOUND', 'You are no longer on call c-1'))).toEqual({ final: true, message: 'You are no longer on call c-1' });
    expect(tokenRefusal({ code: 'FORBIDDEN', message: 'Session s-1 belongs to Ava Hill' })).toEqual({
      final: true,
      message: 'Session s-1 belongs to Ava Hill',
    });
    expect(tokenRefusal(new CodedError('DISCONNECTED', 'not connected'))).toEqual({ final: false, message: 'not connected' });
    expect(tokenRefusal({ code: 'INTERNAL', message: 'The server did not answer media:token' }).final).toBe(false);
    expect(tokenRefusal(new Error('boom'))).toEqual({ final: false, message: 'boom' });
  });
});

describe('mediaSocketUrl', () => {
  it('opens on the server’s host, ws for http and wss for https, with the token as a query parameter', () => {
    expect(mediaSocketUrl('http://127.0.0.1:3000', '/media', 'a.b+c/d=')).toBe('ws://127.0.0.1:3000/media?token=a.b%2Bc%2Fd%3D');
    expect(mediaSocketUrl('https://earshot.example.com/', '/media', 't')).toBe('wss://earshot.example.com/media?token=t');
  });
});

describe('microphoneProblem', () => {
  it('names a refusal, a missing device and a busy one in the words the page shows', () => {
    expect(microphoneProblem(new DOMException('Permission denied', 'NotAllowedError')).status).toBe('denied');
    expect(microphoneProblem(new DOMException('Requested device not found', 'NotFoundError'))).toEqual({
      status: 'unavailable',
      message: 'No microphone was found: plug one in, then try again.',
    });
    expect(microphoneProblem(new DOMException('Could not start audio source', 'NotReadableError')).status).toBe('unavailable');
    expect(microphoneProblem(new DOMException('getUserMedia is not available on this page', 'InsecurePageError'))).toEqual({
      status: 'unavailable',
      message: 'The microphone needs a secure page: open Earshot over https.',
    });
    expect(microphoneProblem(new DOMException('different sample-rate is currently not supported', 'NotSupportedError'))).toEqual({
      status: 'unavailable',
      message: 'This browser cannot capture the microphone for the call: different sample-rate is currently not supported',
    });
    expect(microphoneProblem(new Error('odd'))).toEqual({ status: 'failed', message: 'The microphone failed: odd' });
  });
});
