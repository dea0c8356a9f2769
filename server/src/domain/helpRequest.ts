import type { HelpEndReason, HelpRequestView, PersonRef, SessionEndReason } from '@earshot/shared';
import { ActionError } from './actionError.js';

/**
 * A help request's life: raised by an agent, acknowledged by the first supervisor who answers ("on the
 * way"), and ended: cancelled by the agent, with the call it was raised on, when the supervisor on the way
 * leaves, or at the agent's logout. An ended request is pushed once more, with why, and then forgotten.
 */

/**
 * A help request's id names its agent: a supervisor may answer on any node (docs/scale-out.md), and the request
 * lives on the agent's home only, which the id alone then leads to. The count and the time keep ids apart.
 */
export function helpIdOf(agentId: number, count: number, now: number): string {
  return `help-${agentId}-${count}-${now.toString(36)}`;
}

/** The agent a help request's id names; null for an id not made by `helpIdOf`. */
export function agentOfHelpId(helpId: string): number | null {
  const m = /^help-(\d{1,15})-\d{1,15}-[0-9a-z]{1,12}$/.exec(helpId);
  return m ? Number(m[1]) : null;
}

export function raisedHelp(helpId: string, agent: PersonRef, callId: string | null, message: string | null, now: number): HelpRequestView {
  return { helpId, agent, callId, message: message || null, raisedAt: now, acknowledgedBy: null, acknowledgedAt: null, endedAt: null, endReason: null };
}

/** A second press while a request is open is the same request; a message given with it replaces the first. */
export function withMessage(help: HelpRequestView, message: string | undefined): HelpRequestView {
  return message === undefined || message === '' || message === help.message ? help : { ...help, message };
}

export function acknowledgedHelp(help: HelpRequestView, by: PersonRef, now: number): HelpRequestView {
  // The agent who asked cannot answer their own call for help: it is for their supervisors.
  if (by.id === help.agent.id) throw new ActionError('FORBIDDEN', 'You cannot acknowledge your own help request');
  if (help.acknowledgedBy) {
    throw new ActionError('CONFLICT', `${help.acknowledgedBy.name} already acknowledged this help request`);
  }
  return { ...help, acknowledgedBy: by, acknowledgedAt: now };
}

/** Only the agent who asked may withdraw a request: a supervisor answers it, or it ends on its own. */
export function cancelledHelp(help: HelpRequestView, by: PersonRef, now: number): HelpRequestView {
  if (by.id !== help.agent.id) throw new ActionError('FORBIDDEN', 'Only the agent who asked for help can cancel the request');
  return endedHelp(help, 'cancelled', now);
}

export function endedHelp(help: HelpRequestView, reason: HelpEndReason, now: number): HelpRequestView {
  return { ...help, endedAt: now, endReason: reason };
}

/**
 * Whether a supervision session's end means the supervisor on the way left: they stopped, lost the right or
 * the scope, or left the floor. A call's end or the agent's departure end the request for that reason instead.
 */
export function supervisorLeft(reason: SessionEndReason): boolean {
  return (
    reason !== 'call-ended' && reason !== 'agent-disconnected' && reason !== 'taken-over-ended' && reason !== 'server-restarted' && reason !== 'node-failed'
  );
}
