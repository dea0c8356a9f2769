import type { AgentPhoneState, PersonRef, RightId, SessionEndReason, SupervisionMode, SupervisionSummary } from '@earshot/shared';
import { ActionError } from './actionError.js';
import type { AccessDecision } from './decideAccess.js';
import { isOnCall } from './phoneState.js';

/**
 * Supervision sessions on calls (docs/architecture.md "Supervision sessions"). Pure: no I/O and no clock; every
 * change returns the events it caused (started, changed, ended with a reason) for the caller to deliver:
 * the notice to the agent first, then the supervisor's audio (Notices, **must**).
 *
 * Rights and scope are not decided here: the action wrapper runs `decideAccess` with `rightForMode` for
 * the start and again for every mode change, and `endRevoked` applies docs/permissions.md rule 7 after profile or team edits.
 */
export interface SupervisionSession {
  sessionId: string;
  callId: string;
  /** The agent whose call it is: the target of the rights and scope checks, and of the notices. */
  agentId: number;
  supervisor: PersonRef;
  mode: SupervisionMode;
  startedAt: number;
  /** When the current mode began. */
  modeSince: number;
}

export type SupervisionEvent =
  | { phase: 'started'; session: SupervisionSession; at: number }
  | { phase: 'changed'; session: SupervisionSession; previousMode: SupervisionMode; at: number }
  | { phase: 'ended'; session: SupervisionSession; reason: SessionEndReason; at: number };

export interface SupervisionStart {
  sessionId: string;
  supervisor: PersonRef;
  mode: SupervisionMode;
}

export interface SupervisionOptions {
  /** The configurable cap on supervisors per call. */
  maxSupervisorsPerCall?: number;
}

export const DEFAULT_MAX_SUPERVISORS_PER_CALL = 3;

/** docs/permissions.md: each mode is its own right (Live Monitor, Coach, Barge, Take Over). */
const MODE_RIGHTS = {
  monitor: 'live.monitor',
  coach: 'live.coach',
  barge: 'live.barge',
  takeOver: 'live.takeOver',
} as const satisfies Record<SupervisionMode, RightId>;

export function rightForMode(mode: SupervisionMode): RightId {
  return MODE_RIGHTS[mode];
}

/**
 * The modes in which a supervisor is heard. "At most one speaking supervisor (coach or barge) per call, at
 * most one take over": we go one step further and allow one voice of the three at a time, since a take-over
 * removes the agent a coach would speak to, and a barging supervisor would talk over the one who took over.
 */
const VOICE_MODES: ReadonlySet<SupervisionMode> = new Set(['coach', 'barge', 'takeOver']);

/**
 * Who hears the supervisor, from nobody to everyone on the call: monitor (nobody), coach (the agent), barge
 * (the agent and the customer), take over (the customer, in the agent's place).
 */
const LISTENER_RANK: Record<SupervisionMode, number> = { monitor: 0, coach: 1, barge: 2, takeOver: 3 };

/**
 * A change that lets someone new hear the supervisor (monitor→coach, coach→barge, anything→take over). Its
 * notice goes to the agent before the platform is told (Notices, **must**); a change to fewer listeners may
 * tell the platform first.
 */
export function addsListeners(from: SupervisionMode, to: SupervisionMode): boolean {
  return LISTENER_RANK[to] > LISTENER_RANK[from];
}

const holder = (s: SupervisionSession) => `${s.supervisor.name} (${s.mode})`;

/** Where a session stands after a change of profile or teams (docs/permissions.md rule 7). */
export type SessionStanding = 'ok' | 'rights-revoked' | 'out-of-scope';

/** The standing that `decideAccess(supervisor, rightForMode(mode), agentId)` gives. */
export function standingOf(decision: AccessDecision): SessionStanding {
  if (decision.allowed) return 'ok';
  return decision.code === 'OUT_OF_SCOPE' ? 'out-of-scope' : 'rights-revoked';
}

/** docs/permissions.md rule 7: "a supervisor who loses a right is removed from the sessions that needed it". */
export function sessionsToRevoke(
  sessions: readonly SupervisionSession[],
  canStill: (session: SupervisionSession) => SessionStanding,
): { session: SupervisionSession; reason: 'rights-revoked' | 'out-of-scope' }[] {
  const out: { session: SupervisionSession; reason: 'rights-revoked' | 'out-of-scope' }[] = [];
  for (const session of sessions) {
    const standing = canStill(session);
    if (standing !== 'ok') out.push({ session, reason: standing });
  }
  return out;
}

/**
 * Whether a session ending in `mode` for `reason` had the call: a take-over, unless the telephony platform
 * refused to take the call over (the agent never left it).
 */
export function hadTheCall(mode: SupervisionMode, reason: SessionEndReason): boolean {
  return mode === 'takeOver' && reason !== 'platform-refused';
}

/**
 * The end of a take-over ends the call ("stopping a take-over ends the call"; the agent has left it, so
 * nobody would be left with the customer), unless the call had already ended. The caller hangs it up.
 */
export function endOfSessionEndsCall(mode: SupervisionMode, reason: SessionEndReason): boolean {
  return hadTheCall(mode, reason) && reason !== 'call-ended';
}

export function endsTheCall(event: SupervisionEvent): boolean {
  return event.phase === 'ended' && endOfSessionEndsCall(event.session.mode, event.reason);
}

export class SupervisionRegistry {
  private readonly sessions = new Map<string, SupervisionSession>();
  private readonly maxPerCall: number;

  constructor(options: SupervisionOptions = {}) {
    this.maxPerCall = options.maxSupervisorsPerCall ?? DEFAULT_MAX_SUPERVISORS_PER_CALL;
  }

  get(sessionId: string): SupervisionSession | undefined {
    return this.sessions.get(sessionId);
  }

  all(): SupervisionSession[] {
    return [...this.sessions.values()];
  }

  /** In the order they started. */
  onCall(callId: string): SupervisionSession[] {
    return this.all().filter((s) => s.callId === callId);
  }

  ofSupervisor(supervisorId: number): SupervisionSession[] {
    return this.all().filter((s) => s.supervisor.id === supervisorId);
  }

  /** `Call.supervisions` for the board. */
  summaries(callId: string): SupervisionSummary[] {
    return this.onCall(callId).map((s) => ({
      sessionId: s.sessionId,
      supervisorId: s.supervisor.id,
      supervisorName: s.supervisor.name,
      mode: s.mode,
      since: s.modeSince,
    }));
  }

  /**
   * Start supervising `agent`'s current call. A supervisor already on this call is refused (CONFLICT naming
   * the session) rather than given a second session: one supervisor has one mode on a call, changed with
   * `changeMode`, so the notices and the audio routing never see the same person twice.
   */
  start(request: SupervisionStart, agent: AgentPhoneState, now: number): SupervisionEvent[] {
    const callId = this.checkStart(request, agent);
    const session: SupervisionSession = {
      sessionId: request.sessionId,
      callId,
      agentId: agent.userId,
      supervisor: { ...request.supervisor },
      mode: request.mode,
      startedAt: now,
      modeSince: now,
    };
    this.sessions.set(session.sessionId, session);
    return [{ phase: 'started', session, at: now }];
  }

  /** Throws the refusal `start` would give, changing nothing; returns the call it would supervise. */
  checkStart(request: SupervisionStart, agent: AgentPhoneState): string {
    // "not the actor's own call"
    if (request.supervisor.id === agent.userId) {
      throw new ActionError('FORBIDDEN', 'You cannot supervise your own call');
    }
    // "the agent is on a call"
    if (!isOnCall(agent) || !agent.call) {
      throw new ActionError('CONFLICT', `User ${agent.userId} is not on a call (${agent.state})`);
    }
    if (this.sessions.has(request.sessionId)) {
      throw new ActionError('CONFLICT', `Session ${request.sessionId} already exists`);
    }
    const callId = agent.call.callId;
    const others = this.onCall(callId);
    const mine = others.find((s) => s.supervisor.id === request.supervisor.id);
    if (mine) {
      throw new ActionError('CONFLICT', `You already supervise this call (${mine.mode}, session ${mine.sessionId}): change its mode instead`);
    }
    this.assertModeFree(request.mode, others);
    // "a configurable cap on supervisors per call"
    if (others.length >= this.maxPerCall) {
      throw new ActionError('CONFLICT', `This call already has ${others.length} supervisors, the most allowed: ${others.map(holder).join(', ')}`);
    }
    return callId;
  }

  /**
   * The supervisor's own session only. The same mode again changes nothing (no event). A take-over is
   * final: the agent has left the call, so there is no mode to go back to (stop it to end the call).
   */
  changeMode(sessionId: string, mode: SupervisionMode, byUserId: number, now: number): SupervisionEvent[] {
    if (!this.checkModeChange(sessionId, mode, byUserId)) return [];
    const current = this.sessions.get(sessionId)!;
    const session: SupervisionSession = { ...current, mode, modeSince: now };
    this.sessions.set(sessionId, session);
    return [{ phase: 'changed', session, previousMode: current.mode, at: now }];
  }

  /**
   * Puts a session back in `mode`, the one it had before a change the telephony platform could not carry out.
   * Not checked again: an upgrade from a voice mode kept that voice, and monitor needs none.
   */
  restoreMode(sessionId: string, mode: SupervisionMode, now: number): SupervisionEvent[] {
    const current = this.sessions.get(sessionId);
    if (!current || current.mode === mode) return [];
    const session: SupervisionSession = { ...current, mode, modeSince: now };
    this.sessions.set(sessionId, session);
    return [{ phase: 'changed', session, previousMode: current.mode, at: now }];
  }

  /** Throws the refusal `changeMode` would give, changing nothing; false when the mode is already `mode`. */
  checkModeChange(sessionId: string, mode: SupervisionMode, byUserId: number): boolean {
    const current = this.owned(sessionId, byUserId);
    if (current.mode === mode) return false;
    if (current.mode === 'takeOver') {
      throw new ActionError('CONFLICT', 'A take-over cannot change mode: the agent has left the call (stop it to end the call)');
    }
    this.assertModeFree(
      mode,
      this.onCall(current.callId).filter((s) => s.sessionId !== sessionId),
    );
    return true;
  }

  /** Throws the refusal `stop` would give, changing nothing. */
  checkStop(sessionId: string, byUserId: number): SupervisionSession {
    return this.owned(sessionId, byUserId);
  }

  /** `supervise:stop`, by the supervisor. Stopping a take-over ends the call (see `endsTheCall`). */
  stop(sessionId: string, byUserId: number, now: number): SupervisionEvent[] {
    this.owned(sessionId, byUserId);
    return this.end(sessionId, 'stopped', now);
  }

  /** End one session for `reason`; an unknown (already ended) session gives no event. */
  end(sessionId: string, reason: SessionEndReason, now: number): SupervisionEvent[] {
    const session = this.sessions.get(sessionId);
    if (!session) return [];
    this.sessions.delete(sessionId);
    const events: SupervisionEvent[] = [{ phase: 'ended', session, reason, at: now }];
    if (endsTheCall(events[0]!)) {
      // The call ends with the take-over: its other sessions end with it, and say why.
      for (const other of this.onCall(session.callId)) {
        this.sessions.delete(other.sessionId);
        events.push({ phase: 'ended', session: other, reason: 'taken-over-ended', at: now });
      }
    }
    return events;
  }

  /** "ends on: call end". */
  endAllForCall(callId: string, reason: SessionEndReason, now: number): SupervisionEvent[] {
    return this.endEach(this.onCall(callId), reason, now);
  }

  /** "ends on: supervisor disconnect (after a short grace)": the grace is the caller's timer. */
  endAllForSupervisor(supervisorId: number, reason: SessionEndReason, now: number): SupervisionEvent[] {
    return this.endEach(this.ofSupervisor(supervisorId), reason, now);
  }

  /**
   * "ends on: agent disconnect". A taken-over call is no longer the agent's (they left it for wrap-up),
   * so the sessions on it outlive the agent's connection.
   */
  endAllForAgent(agentId: number, reason: SessionEndReason, now: number): SupervisionEvent[] {
    const takenOver = new Set(
      this.all()
        .filter((s) => s.mode === 'takeOver')
        .map((s) => s.callId),
    );
    return this.endEach(
      this.all().filter((s) => s.agentId === agentId && !takenOver.has(s.callId)),
      reason,
      now,
    );
  }

  /** Rule 7 of docs/permissions.md, after a change to a profile or to a user's profile or teams. */
  endRevoked(canStill: (session: SupervisionSession) => SessionStanding, now: number): SupervisionEvent[] {
    const events: SupervisionEvent[] = [];
    for (const { session, reason } of sessionsToRevoke(this.all(), canStill)) events.push(...this.end(session.sessionId, reason, now));
    return events;
  }

  private endEach(sessions: readonly SupervisionSession[], reason: SessionEndReason, now: number): SupervisionEvent[] {
    return sessions.flatMap((s) => this.end(s.sessionId, reason, now));
  }

  private owned(sessionId: string, byUserId: number): SupervisionSession {
    const session = this.sessions.get(sessionId);
    if (!session) throw new ActionError('NOT_FOUND', `No supervision session ${sessionId}`);
    if (session.supervisor.id !== byUserId) {
      throw new ActionError('FORBIDDEN', `Session ${sessionId} belongs to ${session.supervisor.name}`);
    }
    return session;
  }

  /** One voice at a time (see VOICE_MODES); the refusal names who holds the call. */
  private assertModeFree(mode: SupervisionMode, others: readonly SupervisionSession[]): void {
    if (!VOICE_MODES.has(mode)) return;
    const voice = others.find((s) => VOICE_MODES.has(s.mode));
    if (voice) {
      throw new ActionError('CONFLICT', `${holder(voice)} already holds this call: one supervisor at a time may coach, barge or take over`);
    }
  }
}
