import { ActionError } from '../domain/actionError.js';

/**
 * The unique indexes and foreign keys are the last guard against what slipped past the rule checks; each
 * store maps its own error codes to these, so both answer with the same code and message.
 */
export function constraintViolation(kind: 'unique' | 'foreignKey', what: string): ActionError {
  return kind === 'unique'
    ? new ActionError('CONFLICT', `${what} already exists`)
    : new ActionError('NOT_FOUND', `${what}: a referenced record does not exist`);
}
