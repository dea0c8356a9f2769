import type { AgentPhoneState } from '@earshot/shared';
import { ActionError } from '../../domain/actionError.js';
import type { PhoneEvent } from '../../domain/phoneState.js';
import { defineAction, inputTarget, type ActionContext } from '../actionTypes.js';

const self = (_input: unknown, ctx: ActionContext) => [ctx.actor.id];

/**
 * An agent working their own phone (status, answer, hold, hang up) acts on nobody: that is the phone's
 * history, which the floor publishes, not a security event. Refusals are audited as every refusal is.
 */
const OWN_PHONE_AUDIT = { auditSuccess: false } as const;
const selfTarget = () => null;

/** The phone events an agent's plugin sends about its own call; the call must be the one it holds. */
function callAction(event: 'call:answer' | 'call:hold' | 'call:unhold' | 'call:hangUp', phoneEvent: PhoneEvent) {
  return defineAction({
    event,
    right: 'calls.handle',
    ...OWN_PHONE_AUDIT,
    targetUsers: self,
    auditTarget: inputTarget('call', 'callId'),
    run: async (input, ctx) => {
      const phone = ctx.floor.phoneOf(ctx.actor.id);
      if (phone.call?.callId !== input.callId) {
        throw new ActionError('NOT_FOUND', `callId: ${input.callId} is not your current call`);
      }
      return { phone: ctx.floor.asSeenByAgent(ctx.floor.applyPhone(ctx.actor.id, phoneEvent)) };
    },
  });
}

export const agentActions = [
  defineAction({
    event: 'agent:attach',
    // inContact: the desktop agent is for holders of "Agent MAX" (here Handle Calls).
    right: 'calls.handle',
    auditSuccess: false,
    run: async (_input, ctx) => {
      // The ends of sessions on their call that a restart ended while they were away follow the resync.
      ctx.after(() => ctx.floor.deliverUndeliveredNotices(ctx.actor.id));
      return ctx.floor.attachAgent(ctx.actor.id, ctx.socketId);
    },
  }),
  defineAction({
    event: 'agent:status',
    right: 'calls.handle',
    ...OWN_PHONE_AUDIT,
    targetUsers: self,
    auditTarget: selfTarget,
    run: async (input, ctx) => {
      if (input.status === 'notReady' && !input.reason) throw new ActionError('INVALID', 'reason: required when not ready');
      const id = ctx.actor.id;
      let phone: AgentPhoneState = ctx.floor.phoneOf(id);
      ctx.note({ from: phone.state, to: input.status });
      if (input.status === 'loggedOut') return { phone: ctx.floor.asSeenByAgent(ctx.floor.applyPhone(id, { type: 'logout' })) };
      if (phone.state === 'loggedOut') phone = ctx.floor.applyPhone(id, { type: 'login' });
      phone = input.status === 'available'
        ? ctx.floor.applyPhone(id, { type: 'setAvailable' })
        : ctx.floor.applyPhone(id, { type: 'setNotReady', reason: input.reason! });
      return { phone: ctx.floor.asSeenByAgent(phone) };
    },
  }),
  callAction('call:answer', { type: 'answer' }),
  callAction('call:hold', { type: 'hold' }),
  callAction('call:unhold', { type: 'unhold' }),
  callAction('call:hangUp', { type: 'hangUp' }),
];
