import type { RightId, Scope, User } from '@earshot/shared';
import type { Actor } from '../domain/actor.js';

/** A user as both stores select it, with the team ids decoded to lists (each store encodes them its own way). */
export interface UserRow {
  id: number;
  username: string;
  display_name: string;
  profile_id: number;
  profile_name: string;
  created_at: number;
  extension: string | null;
  member_of: number[];
  supervises: number[];
}

export const userFromRow = (r: UserRow): User => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  profileId: r.profile_id,
  profileName: r.profile_name,
  memberOf: r.member_of,
  supervises: r.supervises,
  extension: r.extension,
  createdAt: r.created_at,
});

/** A user joined with their profile, as an actor is loaded (`rights` is stored as JSON text). */
export interface ActorRow {
  id: number;
  display_name: string;
  profile_id: number;
  profile_name: string;
  rights: string;
  scope: Scope;
}

export const actorFromRow = (r: ActorRow, managedUserIds: Iterable<number>): Actor => ({
  id: r.id,
  displayName: r.display_name,
  profileId: r.profile_id,
  profileName: r.profile_name,
  rights: new Set(JSON.parse(r.rights) as RightId[]),
  scope: r.scope,
  managedUserIds: new Set(managedUserIds),
});
