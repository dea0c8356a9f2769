import { rightLabel, type RightId, type Scope } from '@earshot/shared';
import type { Actor } from './actor.js';

export type AccessDecision = { allowed: true } | { allowed: false; code: 'FORBIDDEN' | 'OUT_OF_SCOPE'; message: string };

const SCOPE_WORDS: Record<Scope, string> = {
  own: 'own: yourself only',
  managed: 'managed: yourself and the members of the teams you supervise',
  all: 'all users',
};

/** Is `targetUserId` inside the actor's scope ("managed users")? */
export function isInScope(actor: Pick<Actor, 'id' | 'scope' | 'managedUserIds'>, targetUserId: number): boolean {
  switch (actor.scope) {
    case 'own':
      return targetUserId === actor.id;
    case 'managed':
      return targetUserId === actor.id || actor.managedUserIds.has(targetUserId);
    case 'all':
      return true;
  }
}

/**
 * docs/permissions.md: "A decision is: the actor's profile holds the right AND the target is inside the
 * actor's scope." `targetUserId` null is an action that reaches no user (e.g. editing a profile).
 */
export function decideAccess(actor: Actor, right: RightId, targetUserId: number | null): AccessDecision {
  if (!actor.rights.has(right)) {
    return {
      allowed: false,
      code: 'FORBIDDEN',
      message: `Your profile (${actor.profileName}) does not hold ${rightLabel(right)} (${right})`,
    };
  }
  if (targetUserId !== null && !isInScope(actor, targetUserId)) {
    return {
      allowed: false,
      code: 'OUT_OF_SCOPE',
      message: `User ${targetUserId} is outside your scope (${SCOPE_WORDS[actor.scope]})`,
    };
  }
  return { allowed: true };
}

/** Any one of the rights will do; the refusal names them all. */
export function decideAccessAny(actor: Actor, rights: readonly RightId[], targetUserId: number | null): AccessDecision {
  let last: AccessDecision | undefined;
  for (const right of rights) {
    const d = decideAccess(actor, right, targetUserId);
    if (d.allowed) return d;
    if (d.code === 'OUT_OF_SCOPE') return d;
    last = d;
  }
  if (rights.length === 1 && last) return last;
  return {
    allowed: false,
    code: 'FORBIDDEN',
    message: `Your profile (${actor.profileName}) holds none of ${rights.map((r) => `${rightLabel(r)} (${r})`).join(', ')}`,
  };
}
