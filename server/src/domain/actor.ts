import type { RightId, Scope } from '@earshot/shared';

/** Who is acting, as the access decision needs it: loaded fresh for every action (docs/permissions.md rule 7). */
export interface Actor {
  id: number;
  displayName: string;
  profileId: number;
  profileName: string;
  rights: ReadonlySet<RightId>;
  scope: Scope;
  /** Members of the teams this actor supervises (CallRex "direct reports"). */
  managedUserIds: ReadonlySet<number>;
}
