import { constraintViolation } from './constraintErrors.js';

/** SQLite's unique and foreign-key violations as the store's errors (constraintErrors.ts); anything else as it is. */
export function rethrowConstraint(e: unknown, what: string): never {
  const code = (e as { code?: string }).code;
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw constraintViolation('unique', what);
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') throw constraintViolation('foreignKey', what);
  throw e;
}
