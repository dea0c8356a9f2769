import type {
  AlertSignals,
  AlertThresholds,
  AuditOutcome,
  OwnThresholds,
  AuditQuery,
  AuditRecord,
  CallDirection,
  ErrorCode,
  InstalledProfileKey,
  PausedSpan,
  Profile,
  Recording,
  RightId,
  Scope,
  SupervisionMode,
  Team,
  User,
} from '@earshot/shared';
import type { Actor } from '../domain/actor.js';

/**
 * Storage sits behind these interfaces: SQLite now; a PostgreSQL implementation later must pass the same
 * tests. Reads are async for that reason even where SQLite answers at once. Each method that changes more
 * than one row is atomic.
 *
 * The writes an action makes and the audit append are synchronous: an action's writes and its audit
 * record are one transaction (`Store.transaction`), made in one turn of the event loop, so that nothing is
 * stored without its record and nothing else runs between them (a store behind a network would need a
 * writer lock and a transaction object in its place).
 */
export interface ProfileRepository {
  list(): Promise<Profile[]>;
  get(id: number): Promise<Profile | null>;
  getByKey(key: InstalledProfileKey): Promise<Profile | null>;
  create(def: { key?: InstalledProfileKey; name: string; rights: RightId[]; scope: Scope }, now: number): Profile;
  update(id: number, patch: { name?: string; rights?: RightId[]; scope?: Scope }, now: number): Profile;
  /** docs/permissions.md rule 3: the members move to `toProfileId` in the same transaction; returns who moved. */
  deleteMovingMembers(id: number, toProfileId: number): number[];
  memberIds(id: number): Promise<number[]>;
}

export interface NewUser {
  username: string;
  displayName: string;
  passwordHash: string;
  profileId: number;
  memberOf: number[];
  supervises: number[];
  /** The telephony platform's name for the user's phone; null or absent: none. */
  extension?: string | null;
}

export interface UserPatch {
  displayName?: string;
  passwordHash?: string;
  profileId?: number;
  memberOf?: number[];
  supervises?: number[];
  /** null clears it. */
  extension?: string | null;
}

export interface UserRepository {
  list(): Promise<User[]>;
  get(id: number): Promise<User | null>;
  /** Existing ids among `ids`. */
  existing(ids: readonly number[]): Promise<number[]>;
  credentials(username: string): Promise<{ id: number; passwordHash: string } | null>;
  create(user: NewUser, now: number): User;
  update(id: number, patch: UserPatch): User;
  delete(id: number): void;
  countWithProfile(profileId: number): Promise<number>;
  /** The user as the access decision needs them, read now (docs/permissions.md rule 7: changes take effect at once). */
  actor(id: number): Promise<Actor | null>;
}

export interface TeamRepository {
  list(): Promise<Team[]>;
  get(id: number): Promise<Team | null>;
  create(team: { name: string; memberIds: number[]; supervisorIds: number[] }, now: number): Team;
  update(id: number, patch: { name?: string; memberIds?: number[]; supervisorIds?: number[] }): Team;
  delete(id: number): void;
}

export interface LoginSession {
  id: number;
  userId: number;
  expiresAt: number;
}

export interface LoginSessionRepository {
  create(userId: number, tokenHash: string, expiresAt: number, now: number): Promise<LoginSession>;
  /** The session for this token, when neither revoked nor expired at `now`. */
  findActive(tokenHash: string, now: number): Promise<LoginSession | null>;
  isActive(id: number, now: number): Promise<boolean>;
  revoke(id: number, now: number): Promise<void>;
  revokeAllForUser(userId: number, now: number): number[];
}

export interface AuditEntry {
  at: number;
  actorId: number | null;
  actorName: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: AuditOutcome;
  code: ErrorCode | null;
  detail: Record<string, unknown>;
}

export interface AuditRepository {
  /** Appends to the hash chain (each record stores the previous record's hash). */
  append(entry: AuditEntry): AuditRecord;
  query(q: AuditQuery): Promise<{ records: AuditRecord[]; total: number; nextBefore: number | null }>;
  /** Every record in chain order, for verification. */
  scan(): Iterable<AuditRecord>;
  /** The newest record's id and hash (0 and the genesis hash when empty): what a checkpoint signs. */
  head(): { id: number; hash: string };
  /** The stored hash of record `id`, null when there is none. */
  hashAt(id: number): string | null;
}

export interface NewRecording {
  callId: string;
  agentId: number;
  agentName: string;
  queue: string;
  direction: CallDirection;
  remoteNumberMasked: string;
  file: string;
  startedAt: number;
}

/** A recording as stored: the wire's fields and the file behind it (never on the wire). */
export interface StoredRecording extends Recording {
  file: string;
}

export interface RecordingsPageQuery {
  /** Only these agents' recordings (the caller's scope); null: every agent's. */
  agentIds: readonly number[] | null;
  agentId?: number;
  callId?: string;
  before?: number;
  limit: number;
}

export interface RecordingRepository {
  create(recording: NewRecording): Promise<StoredRecording>;
  /** Kept up to date while the call is recorded, so an interrupted recording still lists its pauses. */
  setPausedSpans(id: number, spans: readonly PausedSpan[]): Promise<void>;
  finish(id: number, end: { endedAt: number; durationMs: number; bytes: number; pausedSpans: readonly PausedSpan[] }): Promise<StoredRecording>;
  get(id: number): Promise<StoredRecording | null>;
  /** Newest first. */
  page(q: RecordingsPageQuery): Promise<{ recordings: StoredRecording[]; nextBefore: number | null }>;
  /** Recordings never finished (the server stopped during the call). */
  unfinished(): Promise<StoredRecording[]>;
  delete(id: number): Promise<void>;
}

/** A supervision session as kept while it is open (see `SupervisionRepository`). */
export interface OpenSupervision {
  sessionId: string;
  callId: string;
  agentId: number;
  supervisor: { id: number; name: string };
  mode: SupervisionMode;
  startedAt: number;
  modeSince: number;
  /** The node whose floor holds the session (several nodes sharing the store); null for a node alone. */
  nodeId: string | null;
}

export type UndeliveredEndEvent = 'notice:supervision' | 'supervise:ended';

/**
 * The open supervision sessions, so that a start after a crash ends each one left open, and the ends that
 * wait for their user's next connection. Synchronous, like every write an action makes.
 */
export interface SupervisionRepository {
  opened(session: OpenSupervision): void;
  modeChanged(sessionId: string, mode: SupervisionMode, since: number): void;
  closed(sessionId: string): void;
  /**
   * The sessions left open: those of one node (several nodes share the store, and each ends only its own, or
   * a dead one's), or every one (`undefined`: a node alone).
   */
  leftOpen(nodeId?: string): OpenSupervision[];
  keepForDelivery(userId: number, event: UndeliveredEndEvent, payload: unknown, now: number): void;
  /** The user's waiting ends of this kind, oldest first, removed as they are read. */
  takeUndelivered(userId: number, event: UndeliveredEndEvent): unknown[];
}

/** A user's own alert thresholds and signals. */
export interface AlertPreferences {
  own: OwnThresholds;
  signals: AlertSignals;
}

/** The administrator's default alert thresholds and each user's own preferences. */
export interface AlertSettingsRepository {
  /** The defaults an administrator set; null until one does. */
  defaults(): Promise<AlertThresholds | null>;
  setDefaults(thresholds: AlertThresholds, now: number): void;
  /** null until the user sets any. */
  preferences(userId: number): Promise<AlertPreferences | null>;
  setPreferences(userId: number, preferences: AlertPreferences, now: number): void;
}

export interface Store {
  profiles: ProfileRepository;
  users: UserRepository;
  teams: TeamRepository;
  sessions: LoginSessionRepository;
  audit: AuditRepository;
  recordings: RecordingRepository;
  supervisions: SupervisionRepository;
  alertSettings: AlertSettingsRepository;
  /** Runs `work` in one transaction: every write in it is stored, or none (it throws). Nests. */
  transaction<T>(work: () => T): T;
  /**
   * Resolves once every write made before the call is on disk (a power loss cannot take it): what an
   * acknowledgement waits for. Writes are committed at once and synced in groups, off the event loop.
   */
  durable(): Promise<void>;
  /** Syncs every write made so far now, blocking (rare: before the audit anchor signs the head). */
  syncNow(): void;
  close(): void;
}
