import type { SupervisionMode } from '@earshot/shared';
import { ActionError } from '../../domain/actionError.js';
import { addsListeners, rightForMode } from '../../domain/supervision.js';
import { assertModeCarried, assertRecordingCarried, carryOut } from '../../telephony/platformCommand.js';
import { defineAction, effect, inputTarget, type ActionContext } from '../actionTypes.js';

/** The supervised agent: from the started session, or from the request. */
const sessionTarget = (input: unknown, result?: unknown) => {
  const agentId = (result as { session?: { agentId?: number } } | undefined)?.session?.agentId ?? (input as { agentId?: number } | undefined)?.agentId;
  return typeof agentId === 'number' ? { type: 'user', id: String(agentId) } : null;
};

function ownSession(ctx: ActionContext, sessionId: string) {
  const s = ctx.floor.supervision.session(sessionId);
  if (!s) throw new ActionError('NOT_FOUND', `sessionId: no supervision session ${sessionId}`);
  return s;
}

/**
 * After the agent's notice went out (Notices, must): the platform carries the change; a refusal is undone on
 * the floor by `undo` before the answer.
 */
async function carryAfterNotice(carry: () => Promise<void>, undo: () => void): Promise<void> {
  try {
    await carry();
  } catch (e) {
    undo();
    throw e;
  }
}

export const boardActions = [
  defineAction({
    event: 'board:subscribe',
    right: 'phoneState.view',
    auditSuccess: false,
    run: async (_input, ctx) => ctx.floor.subscribeBoard(ctx.socketId, ctx.actor.id),
  }),
  defineAction({
    event: 'board:unsubscribe',
    right: [],
    auditSuccess: false,
    run: async (_input, ctx) => {
      ctx.floor.board.unsubscribe(ctx.socketId);
      return { subscribed: false as const };
    },
  }),
];

export const queueActions = [
  defineAction({
    event: 'queues:subscribe',
    // The queues of the teams in the actor's scope (all of them with scope all): queueVisibility.ts.
    right: 'phoneState.view',
    auditSuccess: false,
    run: async (_input, ctx) => ctx.floor.queues.subscribe(ctx.socketId, ctx.actor.id),
  }),
  defineAction({
    event: 'queues:unsubscribe',
    right: [],
    auditSuccess: false,
    run: async (_input, ctx) => {
      ctx.floor.queues.unsubscribe(ctx.socketId);
      return { subscribed: false as const };
    },
  }),
];

export const superviseActions = [
  defineAction({
    event: 'supervise:start',
    // docs/architecture.md: the actor holds the mode's right and the phone view, and the agent is in scope.
    right: 'phoneState.view',
    alsoRequires: (input) => [rightForMode(input.mode)],
    targetUsers: (input) => [input.agentId],
    auditTarget: sessionTarget,
    run: async (input, ctx) => {
      assertModeCarried(ctx.telephony, input.mode);
      // Checked first; then the platform opens the leg; then, with the audit record, the floor starts the
      // session: the agent's notice before any audio. A take-over's leg opens as a monitor's (nobody hears the
      // supervisor, the agent stays on the call) and the platform takes the call over only after the agent's
      // notice (Notices, must), as a change to take over does. A platform failure, a refusal when checked again
      // or an audit record that cannot be stored fail the start with nothing of it left: the leg it opened is
      // closed before the answer, nobody was told.
      const { sessionId, callId } = ctx.floor.supervision.checkSupervision(ctx.actor, input.agentId, input.mode);
      const endpoint = ctx.floor.directory.endpointOf(input.agentId) ?? String(input.agentId);
      const legMode = input.mode === 'takeOver' ? 'monitor' : input.mode;
      await carryOut(ctx.telephony, "open the supervisor's leg", () => ctx.telephony.openSupervisorLeg({ sessionId, callId, endpoint, mode: legMode }));
      return effect(
        () => {
          // Checked again: the floor may have moved while the platform worked (another supervisor took the voice).
          const planned = ctx.floor.supervision.planSupervision(ctx.actor, input.agentId, input.mode, sessionId);
          const session = planned.result;
          ctx.note({ sessionId: session.sessionId, callId: session.callId, mode: session.mode });
          if (input.mode !== 'takeOver') return { result: { session }, apply: planned.apply };
          // The agent was told of a take-over that has no mode to go back to: a refusal ends it (its leg closes
          // with it) and the agent stays on the call.
          const takeOver = () =>
            carryOut(ctx.telephony, 'take the call over', () => ctx.telephony.takeOver(sessionId), 'the session ended and the agent stays on the call');
          return {
            result: { session },
            apply: planned.apply,
            afterApply: async () => {
              await carryAfterNotice(takeOver, () => ctx.floor.supervision.endRefusedTakeOver(sessionId));
              ctx.floor.supervision.completeTakeOver(sessionId);
            },
          };
        },
        () => ctx.telephony.closeSupervisorLeg(sessionId),
      );
    },
  }),
  defineAction({
    event: 'supervise:mode',
    right: 'phoneState.view',
    // Every mode change is authorized again for the new mode: a coach-only trainer never reaches barge.
    alsoRequires: (input) => [rightForMode(input.mode)],
    targetUsers: (input, ctx) => [ownSession(ctx, input.sessionId).agentId],
    run: async (input, ctx) => {
      assertModeCarried(ctx.telephony, input.mode);
      const before = ownSession(ctx, input.sessionId).mode;
      const legTo = (mode: SupervisionMode) =>
        carryOut(ctx.telephony, `change the supervisor's leg to ${mode}`, () =>
          mode === 'takeOver' ? ctx.telephony.takeOver(input.sessionId) : ctx.telephony.changeLegMode(input.sessionId, mode),
        );
      // Refused before the platform is asked (a mode held by another, a take-over's mode).
      const changes = ctx.floor.supervision.checkModeChange(ctx.actor, input.sessionId, input.mode);
      // Notices, **must**: the agent hears of a new listener before the platform routes a word to them. So an
      // upgrade is audited, made on the floor (the agent's notice) and only then carried by the platform, and
      // a platform failure puts the session back (the agent told again). A change to fewer listeners tells the
      // platform first, and puts the leg back if the change is then refused or cannot be recorded.
      const platformFirst = changes && !addsListeners(before, input.mode);
      if (platformFirst) await legTo(input.mode);
      return effect(
        () => {
          const s = ownSession(ctx, input.sessionId);
          ctx.note({ sessionId: s.sessionId, callId: s.callId, from: s.mode, to: input.mode });
          const planned = ctx.floor.supervision.planModeChange(ctx.actor, input.sessionId, input.mode);
          const result = { session: planned.result };
          if (platformFirst || !planned.apply) return { result, apply: planned.apply };
          return {
            result,
            apply: planned.apply,
            afterApply: async () => {
              await carryAfterNotice(
                () => legTo(input.mode),
                () => ctx.floor.supervision.revertModeChange(input.sessionId, before, input.mode),
              );
              if (input.mode === 'takeOver') ctx.floor.supervision.completeTakeOver(input.sessionId);
            },
          };
        },
        platformFirst
          ? async () => {
              if (ctx.floor.supervision.session(input.sessionId)) await ctx.telephony.changeLegMode(input.sessionId, before);
            }
          : undefined,
      );
    },
  }),
  defineAction({
    event: 'supervise:stop',
    // Anyone may leave their own session, even after losing the right that started it.
    right: [],
    auditTarget: inputTarget('session', 'sessionId'),
    run: async (input, ctx) =>
      effect(() => {
        const s = ownSession(ctx, input.sessionId);
        ctx.note({ callId: s.callId, agentId: s.agentId, mode: s.mode });
        const stop = ctx.floor.supervision.planStop(ctx.actor, input.sessionId);
        return { result: { sessionId: input.sessionId }, apply: stop.apply, alsoRecord: stop.alsoRecord };
      }),
  }),
  defineAction({
    event: 'supervise:mine',
    right: [],
    auditSuccess: false,
    run: async (_input, ctx) => ({ sessions: ctx.floor.supervision.sessionsOf(ctx.actor.id) }),
  }),
];

function recordingAction(event: 'recording:start' | 'recording:pause' | 'recording:resume' | 'recording:stop', change: 'start' | 'pause' | 'resume' | 'stop') {
  return defineAction({
    event,
    // Initiate User Recording starts and stops; Pause User Recording pauses and resumes; on a managed user's call.
    right: change === 'start' || change === 'stop' ? 'recording.initiate' : 'recording.pause',
    targetUsers: (input, ctx) => [ctx.floor.agentOfCall(input.callId)],
    auditTarget: inputTarget('call', 'callId'),
    run: async (input, ctx) =>
      effect(() => {
        assertRecordingCarried(ctx.telephony);
        const planned = ctx.floor.recording.plan(input.callId, change, { id: ctx.actor.id, name: ctx.actor.displayName });
        ctx.note({ agentId: ctx.floor.agentOfCall(input.callId), state: planned.result });
        return { result: { callId: input.callId, state: planned.result }, apply: planned.apply };
      }),
  });
}

export const recordingActions = [
  recordingAction('recording:start', 'start'),
  recordingAction('recording:pause', 'pause'),
  recordingAction('recording:resume', 'resume'),
  recordingAction('recording:stop', 'stop'),
];

export const helpActions = [
  defineAction({
    event: 'help:request',
    right: 'calls.handle',
    auditTarget: (_input, result) => {
      const id = (result as { help?: { helpId?: string } } | undefined)?.help?.helpId;
      return id ? { type: 'help', id } : null;
    },
    run: async (input, ctx) =>
      effect(() => {
        const phone = ctx.floor.phoneOf(ctx.actor.id);
        const planned = ctx.floor.help.planRaise({ id: ctx.actor.id, name: ctx.actor.displayName }, phone.call?.callId ?? null, input.message ?? null, ctx.now);
        return { result: { help: planned.result }, apply: planned.apply };
      }),
  }),
  defineAction({
    event: 'help:ack',
    right: 'phoneState.view',
    auditTarget: inputTarget('help', 'helpId'),
    run: async (input, ctx) =>
      effect(() => {
        const planned = ctx.floor.help.planAcknowledge(input.helpId, { id: ctx.actor.id, name: ctx.actor.displayName }, ctx.now, (agentId) =>
          ctx.require('phoneState.view', agentId),
        );
        return { result: { help: planned.result }, apply: planned.apply };
      }),
  }),
  defineAction({
    event: 'help:cancel',
    // The agent's own request: Handle Calls raised it, and only the agent who asked may withdraw it (helpRequest.ts).
    right: 'calls.handle',
    auditTarget: inputTarget('help', 'helpId'),
    run: async (input, ctx) =>
      effect(() => {
        const planned = ctx.floor.help.planCancel(input.helpId, { id: ctx.actor.id, name: ctx.actor.displayName }, ctx.now);
        ctx.note({ callId: planned.result.callId, acknowledgedBy: planned.result.acknowledgedBy?.name ?? null });
        return { result: { help: planned.result }, apply: planned.apply };
      }),
  }),
  defineAction({
    event: 'help:list',
    right: 'phoneState.view',
    auditSuccess: false,
    run: async (_input, ctx) => ({ requests: ctx.floor.help.visibleTo(ctx.actor.id) }),
  }),
];
