import { RIGHT_IDS, type Profile, type RightId, type Scope } from '@earshot/shared';

/** A column of the matrix as edited, before it is saved. */
export interface ProfileDraft {
  rights: readonly RightId[];
  scope: Scope;
}

export function draftOf(profile: Pick<Profile, 'rights' | 'scope'>): ProfileDraft {
  return { rights: profile.rights, scope: profile.scope };
}

/** Rights kept in the catalogue's order, so a draft compares and saves the same way every time. */
export function withRight(draft: ProfileDraft, right: RightId, granted: boolean): ProfileDraft {
  const set = new Set(draft.rights);
  if (granted) set.add(right);
  else set.delete(right);
  return { ...draft, rights: RIGHT_IDS.filter((r) => set.has(r)) };
}

export interface DraftChanges {
  added: RightId[];
  removed: RightId[];
  scope: Scope | null;
}

export function draftChanges(profile: Pick<Profile, 'rights' | 'scope'>, draft: ProfileDraft): DraftChanges {
  return {
    added: draft.rights.filter((r) => !profile.rights.includes(r)),
    removed: profile.rights.filter((r) => !draft.rights.includes(r)),
    scope: draft.scope === profile.scope ? null : draft.scope,
  };
}

export function isDirty(profile: Pick<Profile, 'rights' | 'scope'>, draft: ProfileDraft | undefined): boolean {
  if (!draft) return false;
  const c = draftChanges(profile, draft);
  return c.added.length > 0 || c.removed.length > 0 || c.scope !== null;
}
