import { AuditCallSchema, type AuditCall, type AuditNames, type AuditRecord } from '@earshot/shared';
import type { Store } from '../store/repositories.js';

/** Which detail keys hold the ids of users, profiles and teams (a number or a list of them). */
const USER_KEYS = new Set(['userId', 'agentId', 'memberIds', 'supervisorIds', 'movedUserIds', 'actorId']);
const PROFILE_KEYS = new Set(['profileId']);
const TEAM_KEYS = new Set(['teamId', 'memberOf', 'supervises']);

type Kind = 'users' | 'profiles' | 'teams';

interface Wanted {
  users: Set<number>;
  profiles: Set<number>;
  teams: Set<number>;
  calls: Map<string, AuditCall | null>;
}

const idsIn = (v: unknown): number[] => (typeof v === 'number' ? [v] : Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : []);

function walk(value: unknown, wanted: Wanted, depth = 0): void {
  if (depth > 4 || !value || typeof value !== 'object' || Array.isArray(value)) return;
  for (const [key, v] of Object.entries(value)) {
    if (USER_KEYS.has(key)) idsIn(v).forEach((id) => wanted.users.add(id));
    else if (PROFILE_KEYS.has(key)) idsIn(v).forEach((id) => wanted.profiles.add(id));
    else if (TEAM_KEYS.has(key)) idsIn(v).forEach((id) => wanted.teams.add(id));
    // users:update notes a profile change as { profile: { from, to } }.
    else if (key === 'profile' && v && typeof v === 'object') idsIn(Object.values(v)).forEach((id) => wanted.profiles.add(id));
    else if (key === 'callId' && typeof v === 'string' && !wanted.calls.has(v)) wanted.calls.set(v, null);
    else walk(v, wanted, depth + 1);
  }
}

const TARGET_KIND: Record<string, Kind> = { user: 'users', profile: 'profiles', team: 'teams' };

/** The action that deletes each kind, and the detail field that keeps the deleted one's name. */
const DELETED: Record<Kind, { action: string; type: string; field: string }> = {
  users: { action: 'users:delete', type: 'user', field: 'displayName' },
  profiles: { action: 'profiles:delete', type: 'profile', field: 'name' },
  teams: { action: 'teams:delete', type: 'team', field: 'name' },
};

/**
 * The names a page of audit records refers to, so that people read "Dana Agent" and "Billing call,
 * +1••••••4567", not `user 4` or a call's internal id. A live user, profile or team is named as it is now;
 * a deleted one by the name its deletion recorded. A call is described by the first record of the page
 * that kept its description (records written while the call was live keep it).
 */
export async function auditNamesOf(records: readonly AuditRecord[], store: Store): Promise<AuditNames> {
  const wanted: Wanted = { users: new Set(), profiles: new Set(), teams: new Set(), calls: new Map() };
  for (const r of records) {
    if (r.actorId !== null) wanted.users.add(r.actorId);
    const kind = r.targetType ? TARGET_KIND[r.targetType] : undefined;
    if (kind && r.targetId !== null && /^\d+$/.test(r.targetId)) wanted[kind].add(Number(r.targetId));
    if (r.targetType === 'call' && r.targetId !== null && !wanted.calls.has(r.targetId)) wanted.calls.set(r.targetId, null);
    walk(r.detail, wanted);
  }
  for (const r of records) {
    const parsed = AuditCallSchema.safeParse(r.detail.call);
    const callId = r.targetType === 'call' ? r.targetId : typeof r.detail.callId === 'string' ? r.detail.callId : null;
    if (parsed.success && callId !== null && wanted.calls.get(callId) === null) wanted.calls.set(callId, parsed.data);
  }

  const names: AuditNames = { users: {}, profiles: {}, teams: {}, calls: {} };
  const lookups: Record<Kind, (id: number) => Promise<{ displayName: string } | { name: string } | null>> = {
    users: (id) => store.users.get(id),
    profiles: (id) => store.profiles.get(id),
    teams: (id) => store.teams.get(id),
  };
  for (const kind of ['users', 'profiles', 'teams'] as const) {
    for (const id of wanted[kind]) {
      const found = await lookups[kind](id);
      const name = found ? ('displayName' in found ? found.displayName : found.name) : await deletedName(store, kind, id);
      if (name !== null) names[kind][String(id)] = name;
    }
  }
  for (const [callId, call] of wanted.calls) if (call) names.calls[callId] = call;
  return names;
}

async function deletedName(store: Store, kind: Kind, id: number): Promise<string | null> {
  const d = DELETED[kind];
  const { records } = await store.audit.query({ action: d.action, targetType: d.type, targetId: String(id), outcome: 'ok', limit: 1 });
  const name = records[0]?.detail[d.field];
  return typeof name === 'string' ? name : null;
}
