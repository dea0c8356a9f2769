import type { AuditCall, SessionEndReason } from '@earshot/shared';
import type { AuditLog } from '../audit/auditLog.js';
import { supervisionNotice } from '../domain/noticePolicy.js';
import type { SupervisionSession } from '../domain/supervision.js';
import type { OpenSupervision, Store, UndeliveredEndEvent } from '../store/repositories.js';
import type { FloorLogger } from './floorPublisher.js';
import { endedNotice, endRecord } from './sessionEndRecords.js';
import type { UserDirectory } from './userDirectory.js';

/**
 * Where the ends of supervision sessions are written: each end's audit record and the removal of its open
 * row, the sessions a previous run left open, and the end notices kept for people who were away.
 */
export class SessionEndLedger {
  constructor(
    private readonly store: Store,
    private readonly audit: AuditLog,
    private readonly log: FloorLogger,
    private readonly directory: UserDirectory,
    /** The call as people know it while it is live (queue, masked number, start), for the record. */
    private readonly callDescription: (callId: string) => AuditCall | null,
  ) {}

  /**
   * The record of a session's end. An end is not refused when its record cannot be stored: a call that
   * ended, a supervisor who left or lost the right cannot be kept supervised for want of a disk, and ending
   * takes away access rather than granting it. So the end is delivered either way; the record is written
   * at once, in the chain's order, and one that could not be stored goes to the error log in full.
   */
  record(session: SupervisionSession, reason: SessionEndReason): void {
    if (this.recordTogether(session, reason)) return;
    // One of the two failed, and neither was kept: each is tried again on its own, as far as it goes.
    const record = endRecord(session, reason, this.callDescription(session.callId));
    try {
      this.audit.recordNow(record);
    } catch (e) {
      // The log is the only copy of a record the chain could not take: it goes there whole.
      this.log.error(e, `audit of a session end failed; the record: ${JSON.stringify(record)}`, { sessionId: session.sessionId });
    }
    try {
      this.store.supervisions.closed(session.sessionId);
    } catch (e) {
      // Left in the store, the session is ended once more at the next start (server-restarted).
      this.log.error(e, 'supervision session could not be removed from the open sessions', { sessionId: session.sessionId });
    }
  }

  /**
   * The end's record and the removal of its open row, in one transaction (inside the caller's, when there
   * is one): one fsync per end, not two. Each commit holds the event loop for the disk's flush, and every
   * message of the floor waits behind it. False, with nothing kept, when either could not be stored.
   */
  recordTogether(session: SupervisionSession, reason: SessionEndReason): boolean {
    try {
      this.store.transaction(() => {
        this.audit.recordNow(endRecord(session, reason, this.callDescription(session.callId)));
        this.store.supervisions.closed(session.sessionId);
      });
      return true;
    } catch {
      return false;
    }
  }

  /**
   * The sessions the previous process left open (it stopped without ending them: a crash, a kill -9): each
   * ends now with `server-restarted`. With several nodes sharing the store, only this node's (`nodeId`): the
   * others' are live on their nodes.
   */
  endLeftOpen(now: number, nodeId: string | null): void {
    this.endOpen(this.store.supervisions.leftOpen(nodeId ?? undefined), 'server-restarted', now);
  }

  /**
   * The sessions of a node that died (several nodes: its heartbeat ran out), ended by the one surviving node
   * that claimed it: each with `node-failed`. Answers the users whose end notices now wait for them.
   */
  endOfFailedNode(nodeId: string, now: number): number[] {
    return this.endOpen(this.store.supervisions.leftOpen(nodeId), 'node-failed', now);
  }

  /** The nodes whose sessions are open in the store (several nodes: a live one's, or one that died). */
  nodesWithOpenSessions(): string[] {
    const nodes = new Set<string>();
    for (const s of this.store.supervisions.leftOpen()) if (s.nodeId) nodes.add(s.nodeId);
    return [...nodes];
  }

  /**
   * Each open session ends: its audit record, the removal of its row and its two notices (the agent's, for
   * their next attach; the supervisor's, for their next connection) are one transaction. Answers the users
   * whose notices were kept.
   */
  private endOpen(open: OpenSupervision[], reason: SessionEndReason, now: number): number[] {
    const waiting = new Set<number>();
    for (const row of open) {
      const { nodeId: _node, ...fields } = row;
      const session: SupervisionSession = { ...fields, supervisor: { ...row.supervisor } };
      try {
        this.store.transaction(() => {
          this.audit.recordNow(endRecord(session, reason, null));
          this.store.supervisions.closed(session.sessionId);
          if (this.directory.has(session.agentId)) {
            this.store.supervisions.keepForDelivery(
              session.agentId,
              'notice:supervision',
              supervisionNotice({ phase: 'ended', session, reason, at: now }),
              now,
            );
            waiting.add(session.agentId);
          }
          if (this.directory.has(session.supervisor.id)) {
            this.store.supervisions.keepForDelivery(session.supervisor.id, 'supervise:ended', endedNotice(session, reason, now), now);
            waiting.add(session.supervisor.id);
          }
        });
        this.log.info(`supervision session left open ended: ${reason}`, {
          sessionId: session.sessionId,
          supervisorId: session.supervisor.id,
          agentId: session.agentId,
          callId: session.callId,
          mode: session.mode,
          nodeId: row.nodeId ?? undefined,
        });
      } catch (e) {
        this.log.error(e, `supervision session left open could not be ended (${reason})`, { sessionId: session.sessionId });
      }
    }
    return [...waiting];
  }

  /** The end notices kept for this user while they were away (a restart), taken: each is delivered once. */
  takeUndelivered(userId: number, event: UndeliveredEndEvent): unknown[] {
    try {
      return this.store.supervisions.takeUndelivered(userId, event);
    } catch (e) {
      this.log.error(e, 'reading the session ends waiting for a user failed', { userId });
      return [];
    }
  }
}
