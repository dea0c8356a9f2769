import type { AuditOutcome, AuditRecord, ErrorCode } from '@earshot/shared';
import { ActionError } from '../domain/actionError.js';
import type { Actor } from '../domain/actor.js';
import type { AuditRepository } from '../store/repositories.js';

const OUTCOME_OF: Record<ErrorCode, AuditOutcome> = {
  UNAUTHENTICATED: 'denied',
  FORBIDDEN: 'denied',
  OUT_OF_SCOPE: 'denied',
  INVALID: 'refused',
  CONFLICT: 'refused',
  NOT_FOUND: 'refused',
  RATE_LIMITED: 'refused',
  INTERNAL: 'error',
};

export interface AuditEvent {
  actor: Pick<Actor, 'id' | 'displayName'> | null;
  action: string;
  target?: { type: string; id: string } | null;
  /** Absent: the action succeeded. */
  error?: unknown;
  detail?: Record<string, unknown>;
}

const SECRET_KEYS = new Set(['password', 'token', 'passwordHash']);

/** Input as it is kept in the audit log: secrets replaced, long strings cut. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 4) return '…';
  if (typeof value === 'string') return value.length > 200 ? `${value.slice(0, 200)}…(${value.length})` : value;
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => redact(v, depth + 1));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .slice(0, 30)
        .map(([k, v]) => [k, SECRET_KEYS.has(k) ? '[redacted]' : redact(v, depth + 1)]),
    );
  }
  return value;
}

/** Who did what to whom, with what outcome: written before the action is acknowledged. */
export class AuditLog {
  constructor(
    private readonly repo: AuditRepository,
    private readonly now: () => number,
  ) {}

  /** For records nothing waits on; a failed write rejects the promise. */
  async record(e: AuditEvent): Promise<AuditRecord> {
    return this.recordNow(e);
  }

  /** Written at once (inside the caller's transaction, if any); throws when the record could not be stored. */
  recordNow(e: AuditEvent): AuditRecord {
    const code: ErrorCode | null = e.error === undefined ? null : e.error instanceof ActionError ? e.error.code : 'INTERNAL';
    const detail: Record<string, unknown> = { ...(e.detail ?? {}) };
    if (e.error !== undefined) detail.message = e.error instanceof ActionError ? e.error.message : 'internal error';
    return this.repo.append({
      at: this.now(),
      actorId: e.actor?.id ?? null,
      actorName: e.actor?.displayName ?? null,
      action: e.action,
      targetType: e.target?.type ?? null,
      targetId: e.target?.id ?? null,
      outcome: code === null ? 'ok' : OUTCOME_OF[code],
      code,
      detail,
    });
  }
}
