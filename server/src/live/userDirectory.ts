import type { RightId } from '@earshot/shared';
import type { Actor } from '../domain/actor.js';
import type { Store } from '../store/repositories.js';

/** An actor as the store would load it, and the teams they belong to (the board's team columns). */
interface DirectoryUser {
  actor: Actor;
  memberOf: number[];
  supervises: number[];
  username: string;
  /** The telephony platform's name for the user's phone: the extension, or failing that the username. */
  endpoint: string;
}

/**
 * The floor's copy of who is who: names, teams, rights, scope. Reloaded whole after any admin change
 * (docs/permissions.md rule 7), so live decisions (board scope, revocation, notices, help) never lag behind the store.
 */
export class UserDirectory {
  private users = new Map<number, DirectoryUser>();
  private teams = new Map<number, { name: string; memberIds: number[] }>();
  private byEndpoint = new Map<string, number>();

  constructor(private readonly store: Store) {}

  async reload(): Promise<void> {
    const [users, profiles, teams] = await Promise.all([this.store.users.list(), this.store.profiles.list(), this.store.teams.list()]);
    const byId = new Map(profiles.map((p) => [p.id, p]));
    this.teams = new Map(teams.map((t) => [t.id, { name: t.name, memberIds: t.memberIds }]));
    // Each actor is made once per reload, not on every message that asks for it.
    this.users = new Map(
      users.map((u) => {
        const p = byId.get(u.profileId)!;
        const managedUserIds = new Set<number>();
        for (const t of u.supervises) for (const m of this.teams.get(t)?.memberIds ?? []) managedUserIds.add(m);
        const actor: Actor = {
          id: u.id,
          displayName: u.displayName,
          profileId: p.id,
          profileName: p.name,
          rights: new Set(p.rights),
          scope: p.scope,
          managedUserIds,
        };
        return [u.id, { actor, memberOf: u.memberOf, supervises: u.supervises, username: u.username, endpoint: u.extension ?? u.username }];
      }),
    );
    // An extension wins over a username that happens to read the same: it was set for this purpose.
    this.byEndpoint = new Map();
    for (const u of users) if (u.extension === null) this.byEndpoint.set(u.username, u.id);
    for (const u of users) if (u.extension !== null) this.byEndpoint.set(u.extension, u.id);
  }

  /** The user a telephony platform's endpoint names (see `endpointOf`); undefined for none. */
  userAtEndpoint(endpoint: string): number | undefined {
    return this.byEndpoint.get(endpoint);
  }

  /** How a telephony platform names the user's phone: their extension, or their username when they have none. */
  endpointOf(userId: number): string | undefined {
    return this.users.get(userId)?.endpoint;
  }

  username(userId: number): string | undefined {
    return this.users.get(userId)?.username;
  }

  has(userId: number): boolean {
    return this.users.has(userId);
  }

  name(userId: number): string {
    return this.users.get(userId)?.actor.displayName ?? `User ${userId}`;
  }

  teamIds(userId: number): number[] {
    return this.users.get(userId)?.memberOf ?? [];
  }

  teamName(teamId: number): string | undefined {
    return this.teams.get(teamId)?.name;
  }

  /** The names of the teams the user supervises: with scope `managed`, the queues they watch. */
  supervisedTeamNames(userId: number): string[] {
    return (this.users.get(userId)?.supervises ?? []).flatMap((t) => this.teams.get(t)?.name ?? []);
  }

  /** Every team with its members. */
  allTeams(): { id: number; name: string; memberIds: readonly number[] }[] {
    return [...this.teams].map(([id, t]) => ({ id, name: t.name, memberIds: t.memberIds }));
  }

  rights(userId: number): ReadonlySet<RightId> {
    return this.users.get(userId)?.actor.rights ?? new Set();
  }

  /** Users who can take calls: the agents the board shows. */
  agentIds(): number[] {
    return [...this.users.values()].filter((u) => u.actor.rights.has('calls.handle')).map((u) => u.actor.id);
  }

  allIds(): number[] {
    return [...this.users.keys()];
  }

  actor(userId: number): Actor | null {
    return this.users.get(userId)?.actor ?? null;
  }
}
