import { describe, expect, it } from 'vitest';
import { ActionError } from './actionError.js';
import { acknowledgedHelp, cancelledHelp, raisedHelp, supervisorLeft, withMessage } from './helpRequest.js';

const agent = { id: 7, name: 'Ben Baker' };
const ava = { id: 3, name: 'Ava Hill' };
const raised = raisedHelp('help-1', agent, 'call-1', '', 1000);

describe('help requests', () => {
  it('raised with an empty message has none; a later message replaces it; no message changes nothing', () => {
    expect(raised).toEqual({
      helpId: 'help-1',
      agent,
      callId: 'call-1',
      message: null,
      raisedAt: 1000,
      acknowledgedBy: null,
      acknowledgedAt: null,
      endedAt: null,
      endReason: null,
    });
    expect(withMessage(raised, 'Angry caller')).toEqual({ ...raised, message: 'Angry caller' });
    expect(withMessage(raised, undefined)).toBe(raised);
    expect(withMessage(raised, '')).toBe(raised);
  });

  it('acknowledged once, by someone other than the agent', () => {
    const acked = acknowledgedHelp(raised, ava, 2000);
    expect(acked).toEqual({ ...raised, acknowledgedBy: ava, acknowledgedAt: 2000 });
    expect(() => acknowledgedHelp(acked, { id: 4, name: 'Tom' }, 3000)).toThrow(new ActionError('CONFLICT', 'Ava Hill already acknowledged this help request'));
    expect(() => acknowledgedHelp(raised, agent, 3000)).toThrow(new ActionError('FORBIDDEN', 'You cannot acknowledge your own help request'));
  });

  it('cancelled only by the agent who asked', () => {
    expect(cancelledHelp(raised, agent, 5000)).toEqual({ ...raised, endedAt: 5000, endReason: 'cancelled' });
    expect(() => cancelledHelp(raised, ava, 5000)).toThrow(new ActionError('FORBIDDEN', 'Only the agent who asked for help can cancel the request'));
  });

  it('a session end is the supervisor leaving unless the call or the agent went first', () => {
    expect(['stopped', 'supervisor-disconnected', 'rights-revoked', 'out-of-scope'].every((r) => supervisorLeft(r as never))).toBe(true);
    expect(['call-ended', 'agent-disconnected', 'taken-over-ended', 'server-restarted', 'node-failed'].some((r) => supervisorLeft(r as never))).toBe(false);
  });
});
