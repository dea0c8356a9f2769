import { ActionError } from '../domain/actionError.js';

/** The unique indexes are the last guard against duplicates that slipped past the rule checks. */
export function rethrowConstraint(e: unknown, what: string): never {
  const code = (e as { code?: string }).code;
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    throw new ActionError('CONFLICT', `${what} already exists`);
  }
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
    throw new ActionError('NOT_FOUND', `${what}: a referenced record does not exist`);
  }
  throw e;
}
