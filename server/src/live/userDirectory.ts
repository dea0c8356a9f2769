import type { RightId, Scope } from '@earshot/shared';
import type { Actor } from '../domain/actor.js';
import type { Store } from '../store/repositories.js';

interface DirectoryUser {
  id: number;
  displayName: string;
  profileId: number;
  profileName: string;
  rights: ReadonlySet<RightId>;
  scope: Scope;
  memberOf: number[];
  supervises: number[];
}

/**
 * The floor's copy of who is who: names, teams, rights, scope. Reloaded whole after any admin change
 * (rule 7), so live decisions (board scope, revocation, notices, help) never lag behind the store.
 */
export class UserDirectory {
  private users = new Map<number, DirectoryUser>();
  private teams = new Map<number, { name: string; memberIds: number[] }>();

  constructor(private readonly store: Store) {}

  async reload(): Promise<void> {
    const [users, profiles, teams] = await Promise.all([this.store.users.list(), this.store.profiles.list(), this.store.teams.list()]);
    const byId = new Map(profiles.map((p) => [p.id, p]));
    this.users = new Map(
      users.map((u) => {
        const p = byId.get(u.profileId)!;
        return [u.id, { id: u.id, displayName: u.displayName, profileId: p.id, profileName: p.name, rights: new Set(p.rights), scope: p.scope, memberOf: u.memberOf, supervises: u.supervises }];
      }),
    );
    this.teams = new Map(teams.map((t) => [t.id, { name: t.name, memberIds: t.memberIds }]));
  }

  has(userId: number): boolean {
    return this.users.has(userId);
  }

  name(userId: number): string {
    return this.users.get(userId)?.displayName ?? `User ${userId}`;
  }

  teamIds(userId: number): number[] {
    return this.users.get(userId)?.memberOf ?? [];
  }

  teamName(teamId: number): string | undefined {
    return this.teams.get(teamId)?.name;
  }

  rights(userId: number): ReadonlySet<RightId> {
    return this.users.get(userId)?.rights ?? new Set();
  }

  /** Users who can take calls: the agents the board shows. */
  agentIds(): number[] {
    return [...this.users.values()].filter((u) => u.rights.has('calls.handle')).map((u) => u.id);
  }

  allIds(): number[] {
    return [...this.users.keys()];
  }

  actor(userId: number): Actor | null {
    const u = this.users.get(userId);
    if (!u) return null;
    const managed = new Set<number>();
    for (const t of u.supervises) for (const m of this.teams.get(t)?.memberIds ?? []) managed.add(m);
    return { id: u.id, displayName: u.displayName, profileId: u.profileId, profileName: u.profileName, rights: u.rights, scope: u.scope, managedUserIds: managed };
  }
}
