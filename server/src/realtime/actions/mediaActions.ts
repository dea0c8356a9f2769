import { ActionError } from '../../domain/actionError.js';
import { isOnCall } from '../../domain/phoneState.js';
import { rightForMode } from '../../domain/supervision.js';
import { issueMediaToken } from '../../media/mediaToken.js';
import { TokenSigner } from '../../media/signedToken.js';
import { defineAction } from '../actionTypes.js';

export const mediaActions = [
  defineAction({
    event: 'media:token',
    // An agent streams their own call (Handle Calls); a supervisor listens in the mode of their session.
    right: ['calls.handle', 'live.monitor', 'live.coach', 'live.barge', 'live.takeOver'],
    auditTarget: (input) => {
      const { sessionId, callId } = (input ?? {}) as { sessionId?: string; callId?: string };
      if (sessionId) return { type: 'session', id: sessionId };
      return callId ? { type: 'call', id: callId } : null;
    },
    run: async (input, ctx) => {
      const signer = new TokenSigner(ctx.config.mediaTokenSecret);
      // Several nodes: the call's media is this node's; the socket must open here, whichever node the caller is on.
      const nodeUrl = ctx.config.cluster?.nodeUrl;
      const here = nodeUrl ? { url: nodeUrl } : {};
      if (input.sessionId !== undefined) {
        const session = ctx.floor.supervision.session(input.sessionId);
        if (!session) throw new ActionError('NOT_FOUND', `sessionId: no supervision session ${input.sessionId}`);
        if (session.supervisor.id !== ctx.actor.id) throw new ActionError('FORBIDDEN', `Session ${input.sessionId} belongs to ${session.supervisor.name}`);
        // The same decision as the session's start or last mode change, taken again now (docs/permissions.md rule 7).
        ctx.require('phoneState.view', session.agentId);
        ctx.require(rightForMode(session.mode), session.agentId);
        ctx.note({ callId: session.callId, agentId: session.agentId, mode: session.mode });
        return {
          ...issueMediaToken(signer, { kind: 'supervisor', userId: ctx.actor.id, callId: session.callId, sessionId: session.sessionId }, ctx.now),
          ...here,
        };
      }
      const callId = input.callId!;
      ctx.require('calls.handle', ctx.actor.id);
      const phone = ctx.floor.phoneOf(ctx.actor.id);
      if (phone.call?.callId !== callId) throw new ActionError('NOT_FOUND', `callId: call ${callId} is not on your phone`);
      if (!isOnCall(phone)) throw new ActionError('CONFLICT', `Call ${callId} is ${phone.state}: its audio starts once it is answered`);
      return { ...issueMediaToken(signer, { kind: 'agent', userId: ctx.actor.id, callId }, ctx.now), ...here };
    },
  }),
];
