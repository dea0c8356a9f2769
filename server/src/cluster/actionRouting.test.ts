import { describe, expect, it } from 'vitest';
import { helpIdOf } from '../domain/helpRequest.js';
import { actionObject } from './actionRouting.js';

describe('what an action acts on, for routing it to the node that owns it', () => {
  it('a start acts on its agent; a mode change and a stop on their session; a recording change on its call', () => {
    expect(actionObject('supervise:start', { agentId: 12, mode: 'coach' }, 3)).toEqual({ kind: 'agent', agentId: 12 });
    expect(actionObject('supervise:mode', { sessionId: 'sup-1-x', mode: 'barge' }, 3)).toEqual({ kind: 'session', sessionId: 'sup-1-x' });
    expect(actionObject('supervise:stop', { sessionId: 'sup-1-x' }, 3)).toEqual({ kind: 'session', sessionId: 'sup-1-x' });
    for (const event of ['recording:start', 'recording:pause', 'recording:resume', 'recording:stop']) {
      expect(actionObject(event, { callId: 'call-9' }, 3)).toEqual({ kind: 'call', callId: 'call-9' });
    }
  });

  it("a media token acts on its session, or on the caller's own call; the agent's own phone actions on the caller", () => {
    expect(actionObject('media:token', { sessionId: 'sup-2' }, 3)).toEqual({ kind: 'session', sessionId: 'sup-2' });
    expect(actionObject('media:token', { callId: 'call-9' }, 3)).toEqual({ kind: 'agent', agentId: 3 });
    for (const event of ['agent:status', 'call:answer', 'call:hold', 'call:unhold', 'call:hangUp', 'help:request', 'help:cancel']) {
      expect(actionObject(event, {}, 3)).toEqual({ kind: 'agent', agentId: 3 });
    }
  });

  it("an answer to a help request acts on the agent its id names (the request lives at the agent's home)", () => {
    expect(actionObject('help:ack', { helpId: helpIdOf(42, 7, 1_796_000_000_000) }, 3)).toEqual({ kind: 'agent', agentId: 42 });
    for (const helpId of ['help-3-m4x1k', 'help-x-1-m4x1k', 'help-42-7-M4X1K', `help-${'9'.repeat(16)}-1-a`, '', 42]) {
      expect(actionObject('help:ack', { helpId }, 3)).toBeNull();
    }
  });

  it('admin, board and queue actions act on nothing one node owns', () => {
    for (const event of ['board:subscribe', 'queues:subscribe', 'users:update', 'audit:query', 'supervise:mine']) {
      expect(actionObject(event, { agentId: 1, sessionId: 's', callId: 'c' }, 3)).toBeNull();
    }
  });

  it('a payload the schema would refuse is not routed: it is refused where it arrived', () => {
    expect(actionObject('supervise:start', { agentId: '12' }, 3)).toBeNull();
    expect(actionObject('supervise:start', null, 3)).toBeNull();
    expect(actionObject('supervise:stop', { sessionId: '' }, 3)).toBeNull();
    expect(actionObject('recording:pause', { callId: 'x'.repeat(65) }, 3)).toBeNull();
  });
});
