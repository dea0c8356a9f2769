import { INSTALLED_PROFILES } from '@earshot/shared';
import { normalizeRights } from '../domain/profileRules.js';
import type { Store } from '../store/repositories.js';

/** First start: the five installed profiles with their defaults (docs/permissions.md). Later starts: nothing. */
export async function installProfiles(store: Store, now: number): Promise<void> {
  for (const p of INSTALLED_PROFILES) {
    if (await store.profiles.getByKey(p.key)) continue;
    await store.profiles.create({ key: p.key, name: p.name, rights: normalizeRights(p.rights), scope: p.scope }, now);
  }
}
