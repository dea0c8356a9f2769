import type { HelpEndReason, HelpRequestView, PersonRef } from '@earshot/shared';
import type { AuditEvent } from '../audit/auditLog.js';
import { ActionError } from '../domain/actionError.js';
import { decideAccess } from '../domain/decideAccess.js';
import { acknowledgedHelp, cancelledHelp, endedHelp, helpIdOf, raisedHelp, withMessage } from '../domain/helpRequest.js';
import type { FloorLogger, FloorPublisher } from './floorPublisher.js';
import type { PlannedChange } from './plannedChange.js';
import type { UserDirectory } from './userDirectory.js';

/**
 * Where a node keeps its open help requests for the other nodes to read when it dies (several nodes; none
 * alone, where a restart ends every connection and the supervisors list the requests again).
 */
export interface HelpLedger {
  keep(help: HelpRequestView): void;
  drop(helpId: string): void;
}

/**
 * Help requests: an agent raises one; every supervisor whose scope holds that agent (and who holds the
 * phone view) receives it; the first to acknowledge it is named to the others and to the agent. Each
 * request ends (domain/helpRequest.ts), and its end is pushed to the same people, then it is forgotten.
 */
export class HelpDesk {
  /** The open requests, one per agent at most. */
  private readonly requests = new Map<string, HelpRequestView>();
  private counter = 0;

  constructor(
    private readonly directory: UserDirectory,
    private readonly publisher: FloorPublisher,
    /** Stores the audit record of an end nobody asked for (a call's end, a logout). */
    private readonly record: (event: AuditEvent) => void,
    private readonly log: FloorLogger,
    private readonly ledger: HelpLedger | null = null,
  ) {}

  /** The users who see this agent's help requests. */
  supervisorsOf(agentId: number): number[] {
    return this.directory.allIds().filter((id) => {
      if (id === agentId) return false;
      const actor = this.directory.actor(id);
      return actor !== null && decideAccess(actor, 'phoneState.view', agentId).allowed && actor.scope !== 'own';
    });
  }

  /** A request, decided now; `apply` raises it. One open request per agent: a second press is the same request. */
  planRaise(agent: PersonRef, callId: string | null, message: string | null, now: number): PlannedChange<HelpRequestView> {
    const open = this.openFor(agent.id);
    if (open) {
      const updated = withMessage(open, message ?? undefined);
      if (updated === open) return { result: open };
      return { result: updated, apply: () => this.put(updated) };
    }
    const help = raisedHelp(helpIdOf(agent.id, ++this.counter, now), agent, callId, message, now);
    return { result: help, apply: () => this.put(help) };
  }

  /** An acknowledgement, checked now; `apply` records it and names the supervisor to the others and the agent. */
  planAcknowledge(helpId: string, by: PersonRef, now: number, authorize: (agentId: number) => void): PlannedChange<HelpRequestView> {
    const help = this.get(helpId);
    if (by.id !== help.agent.id) authorize(help.agent.id);
    const done = acknowledgedHelp(help, by, now);
    return { result: done, apply: () => this.put(done) };
  }

  /** The agent withdraws their request; `apply` ends it for everyone who sees it. */
  planCancel(helpId: string, by: PersonRef, now: number): PlannedChange<HelpRequestView> {
    const ended = cancelledHelp(this.get(helpId), by, now);
    return { result: ended, apply: () => this.put(ended) };
  }

  /** The call ended: the requests raised on it end with it. */
  callEnded(callId: string, now: number): void {
    for (const help of [...this.requests.values()]) if (help.callId === callId) this.end(help, 'call-ended', now);
  }

  /** The agent logged out: their request ends. */
  agentLoggedOut(agentId: number, now: number): void {
    const open = this.openFor(agentId);
    if (open) this.end(open, 'logged-out', now);
  }

  /** The supervisor on the way left (this agent's call, or the floor): "on the way" is over, and so is the request. */
  supervisorLeft(supervisorId: number, agentId: number | null, now: number): void {
    for (const help of [...this.requests.values()]) {
      if (help.acknowledgedBy?.id === supervisorId && (agentId === null || help.agent.id === agentId)) this.end(help, 'supervisor-left', now);
    }
  }

  /**
   * Requests another node held when it died (read from its ledger), or this node before a restart under its
   * name: each ends `node-failed` for the supervisors who see it and the agent, audited as the system's.
   */
  endLost(requests: readonly HelpRequestView[], now: number): void {
    for (const help of requests) if (!this.requests.has(help.helpId) && help.endedAt === null) this.end(help, 'node-failed', now);
  }

  /** Whether this supervisor is on the way to someone. */
  isOnTheWay(supervisorId: number): boolean {
    return [...this.requests.values()].some((r) => r.acknowledgedBy?.id === supervisorId);
  }

  /** The open requests this user may see (waiting, or with a supervisor on the way). */
  visibleTo(userId: number): HelpRequestView[] {
    const actor = this.directory.actor(userId);
    if (!actor) return [];
    return [...this.requests.values()].filter((r) => decideAccess(actor, 'phoneState.view', r.agent.id).allowed);
  }

  openFor(agentId: number): HelpRequestView | null {
    return [...this.requests.values()].find((r) => r.agent.id === agentId) ?? null;
  }

  private get(helpId: string): HelpRequestView {
    const help = this.requests.get(helpId);
    if (!help) throw new ActionError('NOT_FOUND', `helpId: no open help request ${helpId}`);
    return help;
  }

  /** An end nobody asked for: audited as the system's, then pushed (a lost record does not keep a request open). */
  private end(help: HelpRequestView, reason: HelpEndReason, now: number): void {
    const record: AuditEvent = {
      actor: null,
      action: 'help:ended',
      target: { type: 'help', id: help.helpId },
      detail: { agentId: help.agent.id, callId: help.callId, reason, acknowledgedBy: help.acknowledgedBy?.name ?? null },
    };
    try {
      this.record(record);
    } catch (e) {
      this.log.error(e, `audit of a help request's end failed; the record: ${JSON.stringify(record)}`);
    }
    this.put(endedHelp(help, reason, now));
  }

  private put(help: HelpRequestView): void {
    if (help.endedAt === null) {
      this.requests.set(help.helpId, help);
      this.ledger?.keep(help);
    } else if (this.requests.delete(help.helpId)) {
      // Only what this node kept is in its ledger (a dead node's request, ended here, is not).
      this.ledger?.drop(help.helpId);
    }
    for (const id of this.supervisorsOf(help.agent.id)) this.publisher.toUser(id, 'help:update', help);
    this.publisher.toUser(help.agent.id, 'help:update', help);
  }
}
