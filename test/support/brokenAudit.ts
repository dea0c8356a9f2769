import type { Store } from '../../server/src/store/repositories.js';

/** The audit store fails every append, as a full or read-only disk makes it; answers the repair. */
export function breakAudit(store: Pick<Store, 'audit'>): () => void {
  const repo = store.audit;
  const append = repo.append;
  repo.append = () => {
    throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
  };
  return () => void (repo.append = append);
}
