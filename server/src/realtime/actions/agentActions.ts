import type { AgentControl, AgentPhoneState } from '@earshot/shared';
import { ActionError } from '../../domain/actionError.js';
import { applyPhoneEvent, type PhoneEvent } from '../../domain/phoneState.js';
import { assertControlCarried, carryOut } from '../../telephony/platformCommand.js';
import { defineAction, inputTarget, type ActionContext } from '../actionTypes.js';

const self = (_input: unknown, ctx: ActionContext) => [ctx.actor.id];

/**
 * An agent working their own phone (status, answer, hold, hang up) acts on nobody: that is the phone's
 * history, which the floor publishes, not a security event. Refusals are audited as every refusal is.
 */
const OWN_PHONE_AUDIT = { auditSuccess: false } as const;
const selfTarget = () => null;

/**
 * The phone events an agent's plugin sends about its own call; the call must be the one it holds. The
 * telephony platform carries the control out first (the phone's own rules refuse a wrong one before it is
 * asked); the floor changes the phone once it has, and not at all when it could not.
 */
function callAction(event: 'call:answer' | 'call:hold' | 'call:unhold' | 'call:hangUp', control: AgentControl, phoneEvent: PhoneEvent) {
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
      assertControlCarried(ctx.telephony, control);
      applyPhoneEvent(phone, phoneEvent, ctx.now);
      const endpoint = ctx.floor.directory.endpointOf(ctx.actor.id) ?? String(ctx.actor.id);
      await carryOut(ctx.telephony, `${control} the call`, () => ctx.telephony.agentControl({ callId: input.callId, endpoint, control }));
      return { phone: ctx.floor.asSeenByAgent(ctx.floor.applyPhone(ctx.actor.id, phoneEvent, ctx.socketId)) };
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
      // The plugin attaches at the agent's home node only; elsewhere it is refused with the home's URL, once
      // the request has passed its checks (a lease is taken for nobody who may not handle calls).
      const home = await ctx.homes.takeHome(ctx.actor.id);
      if (!home.here) {
        throw new ActionError('CONFLICT', `Your calls are handled by node ${home.nodeId}: connect to ${home.url} to attach`, { homeUrl: home.url });
      }
      // The ends of sessions on their call that a restart ended while they were away follow the resync.
      ctx.after(() => ctx.floor.supervision.deliverUndeliveredNotices(ctx.actor.id));
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
      if (input.status === 'notReady' && !input.reason) throw new ActionError('INVALID', 'A reason is needed to go Not ready.');
      const id = ctx.actor.id;
      // Pushed to the agent's other sockets: this one reads the answer.
      const apply = (event: PhoneEvent) => ctx.floor.applyPhone(id, event, ctx.socketId);
      let phone: AgentPhoneState = ctx.floor.phoneOf(id);
      ctx.note({ from: phone.state, to: input.status });
      if (input.status === 'loggedOut') return { phone: ctx.floor.asSeenByAgent(apply({ type: 'logout' })) };
      if (phone.state === 'loggedOut') phone = apply({ type: 'login' });
      phone = input.status === 'available' ? apply({ type: 'setAvailable' }) : apply({ type: 'setNotReady', reason: input.reason! });
      return { phone: ctx.floor.asSeenByAgent(phone) };
    },
  }),
  callAction('call:answer', 'answer', { type: 'answer' }),
  callAction('call:hold', 'hold', { type: 'hold' }),
  callAction('call:unhold', 'unhold', { type: 'unhold' }),
  callAction('call:hangUp', 'hangUp', { type: 'hangUp' }),
];
