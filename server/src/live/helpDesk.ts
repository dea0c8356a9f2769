import type { HelpRequestView, PersonRef } from '@earshot/shared';
import { ActionError } from '../domain/actionError.js';
import { decideAccess } from '../domain/decideAccess.js';
import type { FloorPublisher } from './floorPublisher.js';
import type { PlannedChange } from './plannedChange.js';
import type { UserDirectory } from './userDirectory.js';

/**
 * Help requests: an agent raises one; every supervisor whose scope holds that agent (and who holds the
 * phone view) receives it; the first to acknowledge it is named to the others and to the agent.
 */
export class HelpDesk {
  private readonly requests = new Map<string, HelpRequestView>();
  private counter = 0;

  constructor(
    private readonly directory: UserDirectory,
    private readonly publisher: FloorPublisher,
  ) {}

  /** The users who see this agent's help requests. */
  supervisorsOf(agentId: number): number[] {
    return this.directory.allIds().filter((id) => {
      if (id === agentId) return false;
      const actor = this.directory.actor(id);
      return actor !== null && decideAccess(actor, 'phoneState.view', agentId).allowed && actor.scope !== 'own';
    });
  }

  /** A request, decided now; `apply` raises it. One open request per agent: a second press while waiting is the same request. */
  planRaise(agent: PersonRef, callId: string | null, message: string | null, now: number): PlannedChange<HelpRequestView> {
    const open = this.openFor(agent.id);
    if (open) return { result: open };
    const help: HelpRequestView = {
      helpId: `help-${++this.counter}-${now.toString(36)}`,
      agent, callId, message, raisedAt: now, acknowledgedBy: null, acknowledgedAt: null,
    };
    return {
      result: help,
      apply: () => {
        this.requests.set(help.helpId, help);
        this.announce(help);
      },
    };
  }

  /** An acknowledgement, checked now; `apply` records it and names the supervisor to the others and the agent. */
  planAcknowledge(helpId: string, by: PersonRef, now: number, authorize: (agentId: number) => void): PlannedChange<HelpRequestView> {
    const help = this.requests.get(helpId);
    if (!help) throw new ActionError('NOT_FOUND', `helpId: no help request ${helpId}`);
    // The agent who asked cannot answer their own call for help: it is for their supervisors.
    if (by.id === help.agent.id) throw new ActionError('FORBIDDEN', 'You cannot acknowledge your own help request');
    authorize(help.agent.id);
    if (help.acknowledgedBy) {
      throw new ActionError('CONFLICT', `${help.acknowledgedBy.name} already acknowledged this help request`);
    }
    const done: HelpRequestView = { ...help, acknowledgedBy: by, acknowledgedAt: now };
    return {
      result: done,
      apply: () => {
        this.requests.set(helpId, done);
        this.announce(done);
      },
    };
  }

  /** Open requests this user may see; acknowledged ones stay listed for ten minutes. */
  visibleTo(userId: number, now: number): HelpRequestView[] {
    const actor = this.directory.actor(userId);
    if (!actor) return [];
    return [...this.requests.values()].filter(
      (r) => (r.acknowledgedAt === null || now - r.acknowledgedAt < 600_000) && decideAccess(actor, 'phoneState.view', r.agent.id).allowed,
    );
  }

  openFor(agentId: number): HelpRequestView | null {
    return [...this.requests.values()].find((r) => r.agent.id === agentId && r.acknowledgedBy === null) ?? null;
  }

  private announce(help: HelpRequestView): void {
    for (const id of this.supervisorsOf(help.agent.id)) this.publisher.toUser(id, 'help:update', help);
    this.publisher.toUser(help.agent.id, 'help:update', help);
  }
}
