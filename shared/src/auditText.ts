import type { ClientEventName } from './events.js';
import {
  PHONE_STATE_NAMES,
  SESSION_END_REASONS,
  SUPERVISION_MODES,
  type PhoneStateName,
  type SessionEndReason,
  type SupervisionMode,
} from './messages/floor.js';
import type { AuditCall, AuditNames, AuditRecord } from './messages/audit.js';
import { RIGHTS } from './rights.js';
import { SCOPES, type Scope } from './scopes.js';

/** Audit actions the server writes besides the client events: logins, ends and failures, recordings over HTTP. */
export const SERVER_AUDIT_ACTIONS = [
  'auth:login',
  'auth:logout',
  'supervise:ended',
  'recording:failed',
  'help:ended',
  'recordings:list',
  'recordings:ticket',
  'recordings:play',
  'recordings:export',
  'recordings:delete',
] as const;
export type AuditAction = ClientEventName | (typeof SERVER_AUDIT_ACTIONS)[number];

/** Every audit action in words, as the audit log shows it. A new event has no place on the wire without one. */
export const AUDIT_ACTION_TEXT: Record<AuditAction, string> = {
  'me:get': 'Read own account',
  'profiles:list': 'Listed profiles',
  'profiles:create': 'Created profile',
  'profiles:update': 'Changed profile rights',
  'profiles:rename': 'Renamed profile',
  'profiles:delete': 'Deleted profile',
  'users:list': 'Listed users',
  'users:create': 'Created user',
  'users:update': 'Changed user',
  'users:delete': 'Deleted user',
  'teams:list': 'Listed teams',
  'teams:create': 'Created team',
  'teams:update': 'Changed team',
  'teams:delete': 'Deleted team',
  'audit:query': 'Read the audit log',
  'audit:choices': 'Listed the names for the audit filters',
  'board:subscribe': 'Opened the board',
  'board:unsubscribe': 'Closed the board',
  'queues:subscribe': 'Opened the queues',
  'queues:unsubscribe': 'Closed the queues',
  'supervise:start': 'Started supervising',
  'supervise:mode': 'Changed supervision mode',
  'supervise:stop': 'Stopped supervising',
  'supervise:mine': 'Listed own supervisions',
  'supervise:ended': 'Supervision ended',
  'monitoring:history': 'Read who listened to own calls',
  'recording:start': 'Started recording',
  'recording:pause': 'Paused recording',
  'recording:resume': 'Resumed recording',
  'recording:stop': 'Stopped recording',
  'recording:failed': 'Recording failed',
  'media:token': 'Opened call audio',
  'agent:attach': 'Opened the desktop agent',
  'agent:status': 'Changed phone status',
  'call:answer': 'Answered a call',
  'call:hold': 'Put a call on hold',
  'call:unhold': 'Took a call off hold',
  'call:hangUp': 'Hung up a call',
  'help:request': 'Asked for help',
  'help:ack': 'Answered a help request',
  'help:cancel': 'Cancelled a help request',
  'help:list': 'Listed help requests',
  'help:ended': 'Help request ended',
  'alerts:get': 'Read alert thresholds',
  'alerts:setDefaults': 'Changed default alert thresholds',
  'alerts:setMine': 'Changed own alert thresholds',
  'auth:login': 'Logged in',
  'auth:logout': 'Logged out',
  'recordings:list': 'Listed recordings',
  'recordings:ticket': 'Opened a recording link',
  'recordings:play': 'Played a recording',
  'recordings:export': 'Downloaded a recording',
  'recordings:delete': 'Deleted a recording',
};

export const SUPERVISION_MODE_TEXT: Record<SupervisionMode, string> = { monitor: 'Monitor', coach: 'Coach', barge: 'Barge', takeOver: 'Take over' };
const STARTED: Record<SupervisionMode, string> = {
  monitor: 'Started monitoring',
  coach: 'Started coaching',
  barge: 'Started barging in',
  takeOver: 'Took over the call',
};
const SWITCHED: Record<SupervisionMode, string> = {
  monitor: 'Switched to monitoring',
  coach: 'Switched to coaching',
  barge: 'Switched to barging in',
  takeOver: 'Took over the call',
};
const STOPPED: Record<SupervisionMode, string> = {
  monitor: 'Stopped monitoring',
  coach: 'Stopped coaching',
  barge: 'Stopped barging in',
  takeOver: 'Left the taken-over call',
};

const PHONE_STATE_TEXT: Record<PhoneStateName, string> = {
  loggedOut: 'Logged out',
  available: 'Available',
  notReady: 'Not ready',
  ringing: 'Ringing',
  talking: 'Talking',
  held: 'On hold',
  wrapUp: 'Wrap-up',
};
export const SESSION_END_TEXT: Record<SessionEndReason, string> = {
  stopped: 'Stopped by the supervisor',
  'call-ended': 'The call ended',
  'agent-disconnected': 'The agent disconnected',
  'supervisor-disconnected': "The supervisor's connection dropped",
  'rights-revoked': 'The supervisor lost the right',
  'out-of-scope': 'The agent left the supervisor’s teams',
  'taken-over-ended': 'The taken-over call ended',
  'server-restarted': 'The server restarted',
  'platform-refused': 'The telephony platform could not take the call over',
  'node-failed': 'The server node handling the call failed',
};
const SCOPE_TEXT: Record<Scope, string> = { own: 'Own', managed: 'Managed users', all: 'All users' };
const RECORDING_TEXT: Record<string, string> = { off: 'Off', on: 'On', paused: 'Paused', failed: 'Failed' };
const RIGHT_TEXT = new Map<string, string>(RIGHTS.map((r) => [r.id, r.label]));

const isMode = (v: unknown): v is SupervisionMode => (SUPERVISION_MODES as readonly unknown[]).includes(v);
const isState = (v: unknown): v is PhoneStateName => (PHONE_STATE_NAMES as readonly unknown[]).includes(v);
const isEndReason = (v: unknown): v is SessionEndReason => (SESSION_END_REASONS as readonly unknown[]).includes(v);
const isScope = (v: unknown): v is Scope => (SCOPES as readonly unknown[]).includes(v);

/** The action in words; a supervision names its mode ("Started coaching"). An unknown action is shown as written. */
export function auditActionText(record: Pick<AuditRecord, 'action' | 'detail'>): string {
  const d = record.detail;
  const input = (d.input ?? {}) as Record<string, unknown>;
  const mode = d.mode ?? input.mode;
  if (record.action === 'supervise:start' && isMode(mode)) return STARTED[mode];
  if (record.action === 'supervise:mode' && isMode(d.to ?? input.mode)) return SWITCHED[(d.to ?? input.mode) as SupervisionMode];
  if (record.action === 'supervise:stop' && isMode(mode)) return STOPPED[mode];
  return (AUDIT_ACTION_TEXT as Record<string, string>)[record.action] ?? record.action;
}

export interface AuditField {
  label: string;
  value: string;
}

export interface AuditRecordText {
  action: string;
  /** Who or what the action was on, in words; null when it names nothing. */
  target: string | null;
  fields: AuditField[];
}

/** A call as people know it: "Billing call, +1••••••4567, 29/11/2026, 10:02:03". */
export function auditCallText(call: AuditCall, formatTime: (at: number) => string): string {
  return `${call.queue} call, ${call.number}, ${formatTime(call.startedAt)}`;
}

/** Keys that are internal (ids of sessions, requests, help requests) or are shown otherwise (the call). */
const HIDDEN = new Set(['sessionId', 'loginId', 'requestId', 'helpId', 'call', 'input', 'rehashedAtCost']);

const LABELS: Record<string, string> = {
  message: 'Why',
  userId: 'User',
  agentId: 'Agent',
  profileId: 'Profile',
  teamId: 'Team',
  memberOf: 'Member of',
  supervises: 'Supervises',
  memberIds: 'Members',
  supervisorIds: 'Supervisors',
  movedUserIds: 'Moved',
  movedTo: 'Moved to',
  rights: 'Rights',
  added: 'Rights added',
  removed: 'Rights removed',
  scope: 'Scope',
  mode: 'Mode',
  state: 'Recording',
  reason: 'Reason',
  supervisor: 'Supervisor',
  acknowledgedBy: 'On the way',
  address: 'Address',
  username: 'Username',
  displayName: 'Display name',
  name: 'Name',
  extension: 'Extension',
  password: 'Password',
  passwordChanged: 'Password',
  revokedSessions: 'Other logins ended',
  status: 'Status',
  callId: 'Call',
  count: 'Records',
  range: 'Bytes',
  startedAt: 'Call started',
  actorId: 'Actor',
  targetType: 'Target type',
  targetId: 'Target',
  outcome: 'Outcome',
  action: 'Action',
  limit: 'Page size',
  before: 'Page',
  query: 'Filters',
  profile: 'Profile',
  from: 'From',
  to: 'To',
};

const humanize = (key: string) => {
  const w = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return w.charAt(0).toUpperCase() + w.slice(1);
};

/**
 * A record as people read it: the action in words, its target by name, its detail as labelled fields
 * (names for ids, words for modes, states and rights; never a call's or a session's internal id).
 */
export function describeAuditRecord(record: AuditRecord, names: AuditNames, formatTime: (at: number) => string): AuditRecordText {
  const d = record.detail;
  const input = (d.input && typeof d.input === 'object' ? d.input : {}) as Record<string, unknown>;
  const user = (id: unknown) => (typeof id === 'number' ? (names.users[String(id)] ?? 'a deleted user') : String(id));
  const profile = (id: unknown) => (typeof id === 'number' ? (names.profiles[String(id)] ?? 'a deleted profile') : String(id));
  const team = (id: unknown) => (typeof id === 'number' ? (names.teams[String(id)] ?? 'a deleted team') : String(id));
  const call = (id: unknown) => {
    const c = typeof id === 'string' ? names.calls[id] : undefined;
    return c ? auditCallText(c, formatTime) : 'a call';
  };
  const list = (v: unknown, one: (x: unknown) => string) => (Array.isArray(v) ? (v.length === 0 ? 'none' : v.map(one).join(', ')) : one(v));

  const fieldValue = (key: string, v: unknown): string => {
    switch (key) {
      case 'userId':
      case 'agentId':
      case 'actorId':
      case 'memberIds':
      case 'supervisorIds':
      case 'movedUserIds':
        return list(v, user);
      case 'profileId':
        return profile(v);
      case 'teamId':
      case 'memberOf':
      case 'supervises':
        return list(v, team);
      case 'callId':
        return call(v);
      case 'rights':
      case 'added':
      case 'removed':
        return list(v, (r) => RIGHT_TEXT.get(String(r)) ?? String(r));
      case 'scope':
        return isScope(v) ? SCOPE_TEXT[v] : text(v);
      case 'mode':
        return isMode(v) ? SUPERVISION_MODE_TEXT[v] : text(v);
      case 'status':
        return isState(v) ? PHONE_STATE_TEXT[v] : text(v);
      case 'state':
        return RECORDING_TEXT[String(v)] ?? text(v);
      case 'reason':
        return isEndReason(v) ? SESSION_END_TEXT[v] : text(v);
      case 'password':
        return 'set';
      case 'passwordChanged':
        return v === true ? 'changed' : 'unchanged';
      case 'startedAt':
      case 'at':
        return typeof v === 'number' ? formatTime(v) : text(v);
      default:
        return text(v);
    }
  };
  const word = (v: unknown) =>
    isMode(v)
      ? SUPERVISION_MODE_TEXT[v]
      : isState(v)
        ? PHONE_STATE_TEXT[v]
        : isScope(v)
          ? SCOPE_TEXT[v]
          : typeof v === 'number' && record.action === 'users:update'
            ? profile(v)
            : text(v);

  const fields: AuditField[] = [];
  const add = (label: string, value: string) => {
    if (value !== '' && !fields.some((f) => f.label === label)) fields.push({ label, value });
  };
  if (typeof d.message === 'string') add('Why', d.message);
  // A change noted as { from, to } (a mode, a phone status, a profile's scope or name, a user's profile).
  const change = (key: string | null, v: unknown) => {
    const c = v as { from?: unknown; to?: unknown };
    if (key === null && record.action === 'profiles:rename') return add('Name', `${text(c.from)} → ${text(input.name)}`);
    // A field set for the first time, or removed (a user's extension), changes from or to nothing.
    const side = (x: unknown) => (x === null || x === undefined ? 'none' : word(x));
    add(key === null ? (record.action === 'agent:status' ? 'Status' : 'Mode') : (LABELS[key] ?? humanize(key)), `${side(c.from)} → ${side(c.to)}`);
  };
  if ('from' in d && !('input' in d && record.action === 'audit:query')) change(null, d);
  if (record.action === 'supervise:mode' && !('from' in d) && isMode(input.mode)) add('Mode', SUPERVISION_MODE_TEXT[input.mode]);
  const callId =
    typeof d.callId === 'string' ? d.callId : typeof input.callId === 'string' ? input.callId : record.targetType === 'call' ? record.targetId : null;
  if (callId !== null) add('Call', call(callId));
  for (const source of [d, input]) {
    for (const [key, v] of Object.entries(source)) {
      if (HIDDEN.has(key) || key === 'message' || v === undefined || v === null) continue;
      if (source === d && (key === 'from' || key === 'to')) continue;
      if (v && typeof v === 'object' && !Array.isArray(v) && 'from' in v && 'to' in v) {
        change(key, v);
        continue;
      }
      if (key === 'before' && v && typeof v === 'object' && !Array.isArray(v)) {
        for (const [k, bv] of Object.entries(v)) add(`${LABELS[k] ?? humanize(k)} before`, fieldValue(k, bv));
        continue;
      }
      if (record.action === 'audit:query' && source === input && (key === 'from' || key === 'to' || key === 'before') && typeof v === 'number') {
        add(LABELS[key] ?? humanize(key), key === 'before' ? `before record ${v}` : formatTime(v));
        continue;
      }
      add(LABELS[key] ?? humanize(key), fieldValue(key, v));
    }
  }
  return { action: auditActionText(record), target: targetText(record, names, user, profile, team, call), fields };
}

function targetText(
  r: AuditRecord,
  names: AuditNames,
  user: (id: unknown) => string,
  profile: (id: unknown) => string,
  team: (id: unknown) => string,
  call: (id: unknown) => string,
): string | null {
  if (r.targetType === null || r.targetId === null) return null;
  const numeric = /^\d+$/.test(r.targetId) ? Number(r.targetId) : null;
  switch (r.targetType) {
    case 'user':
      // A failed login names the username as typed.
      return numeric === null ? `“${r.targetId}”` : user(numeric);
    case 'profile':
      return numeric === null ? r.targetId : profile(numeric);
    case 'team':
      return numeric === null ? r.targetId : team(numeric);
    case 'call':
      return call(r.targetId);
    case 'session':
      return typeof r.detail.agentId === 'number' ? user(r.detail.agentId) : 'a supervision session';
    case 'recording': {
      const agent = typeof r.detail.agentId === 'number' ? user(r.detail.agentId) : null;
      return agent ? `Recording of ${agent}’s call` : 'a recording';
    }
    case 'help':
      return typeof r.detail.agentId === 'number' ? `Help request from ${user(r.detail.agentId)}` : 'a help request';
    default:
      return names.users[r.targetId] ?? r.targetType;
  }
}

function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map(text).join(', ');
  return Object.entries(v as Record<string, unknown>)
    .filter(([, x]) => x !== undefined && x !== null)
    .map(([k, x]) => `${humanize(k).toLowerCase()} ${text(x)}`)
    .join('; ');
}
