import { constraintViolation } from '../constraintErrors.js';

/** PostgreSQL's unique (23505) and foreign-key (23503) violations as the store's errors; anything else as it is. */
export function rethrowConstraint(e: unknown, what: string): never {
  const code = (e as { code?: string }).code;
  if (code === '23505') throw constraintViolation('unique', what);
  if (code === '23503') throw constraintViolation('foreignKey', what);
  throw e;
}
