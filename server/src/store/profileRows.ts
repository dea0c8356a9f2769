import type { InstalledProfileKey, Profile, RightId, Scope } from '@earshot/shared';

/** A profile as both stores select it: its row and the count of its members (`rights` is stored as JSON text). */
export interface ProfileRow {
  id: number;
  key: InstalledProfileKey | null;
  name: string;
  scope: Scope;
  rights: string;
  member_count: number;
}

export const profileFromRow = (r: ProfileRow): Profile => ({
  id: r.id,
  key: r.key,
  name: r.name,
  scope: r.scope,
  rights: JSON.parse(r.rights) as RightId[],
  memberCount: r.member_count,
  locked: r.key === 'administrator',
});
