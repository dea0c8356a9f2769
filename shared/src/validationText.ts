import type { z } from 'zod';

/**
 * How a request's fields are named to a person. A field not listed is named by its key, split into words
 * (`notReadyReason` → "not ready reason").
 */
const FIELD_NAMES: Record<string, string> = {
  displayName: 'display name',
  profileId: 'profile',
  userId: 'user',
  teamId: 'team',
  agentId: 'agent',
  callId: 'call',
  sessionId: 'supervision session',
  helpId: 'help request',
  memberOf: 'list of teams the user belongs to',
  supervises: 'list of teams the user supervises',
  memberIds: 'list of members',
  supervisorIds: 'list of supervisors',
  rights: 'list of rights',
  actorId: 'actor',
  targetType: 'target type',
  targetId: 'target',
  from: 'start of the period',
  to: 'end of the period',
  before: 'page cursor',
  days: 'number of days',
};

const KINDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'yes or no',
  array: 'a list',
  object: 'a set of fields',
  null: 'empty',
};

const words = (key: string) =>
  FIELD_NAMES[key] ??
  key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase();

/** "The password", "Entry 2 of the list of rights", "The request" (the whole payload). */
export function subjectOf(path: readonly PropertyKey[]): string {
  const keys = path.filter((p): p is string => typeof p === 'string');
  const last = keys[keys.length - 1];
  const index = typeof path[path.length - 1] === 'number' ? (path[path.length - 1] as number) : null;
  const field = last === undefined ? 'request' : words(last);
  return index === null ? `The ${field}` : `Entry ${index + 1} of the ${field}`;
}

const plural = (n: number | bigint, one: string, many = `${one}s`) => `${n} ${Number(n) === 1 ? one : many}`;

const listOf = (items: readonly string[]) => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`);

/** zod's own wording starts so; anything else is a sentence a schema wrote for people. */
const ZOD_DEFAULT = /^(Invalid|Too (small|big)|Unrecognized)/;

const asSentence = (text: string) => {
  const t = text.trim();
  return `${t.charAt(0).toUpperCase()}${t.slice(1)}${/[.!?]$/.test(t) ? '' : '.'}`;
};

/** One zod issue as a sentence a person reads: "The password needs at least 8 characters." */
export function sentenceOfIssue(issue: z.core.$ZodIssue): string {
  // A schema's own wording is already a sentence for people.
  if (!ZOD_DEFAULT.test(issue.message)) return asSentence(issue.message);
  const subject = subjectOf(issue.path);
  switch (issue.code) {
    case 'invalid_type':
      if (/received undefined$/.test(issue.message)) return `${subject} is missing.`;
      return `${subject} must be ${KINDS[issue.expected] ?? issue.expected}.`;
    case 'too_small': {
      const n = issue.minimum;
      if (issue.origin === 'string') return Number(n) <= 1 ? `${subject} is required.` : `${subject} needs at least ${plural(n, 'character')}.`;
      if (issue.origin === 'array' || issue.origin === 'set') return `${subject} needs at least ${plural(n, 'entry', 'entries')}.`;
      return `${subject} must be ${issue.inclusive === false ? 'more than' : 'at least'} ${n}.`;
    }
    case 'too_big': {
      const n = issue.maximum;
      if (issue.origin === 'string') return `${subject} may have at most ${plural(n, 'character')}.`;
      if (issue.origin === 'array' || issue.origin === 'set') return `${subject} may have at most ${plural(n, 'entry', 'entries')}.`;
      return `${subject} must be ${issue.inclusive === false ? 'less than' : 'at most'} ${n}.`;
    }
    case 'invalid_format':
      return `${subject} is not in the expected form.`;
    case 'invalid_value':
      // A long list (every right) reads worse than its count.
      return issue.values.length > 5
        ? `${subject} is not one of the ${issue.values.length} allowed values.`
        : `${subject} must be ${listOf(issue.values.map((v) => JSON.stringify(v)))}.`;
    case 'unrecognized_keys':
      return `${subject} has ${issue.keys.length === 1 ? 'a field' : 'fields'} this action does not take: ${issue.keys.map((k) => `"${k}"`).join(', ')}.`;
    case 'not_multiple_of':
      return `${subject} must be a multiple of ${issue.divisor}.`;
    default:
      return `${subject} is not valid.`;
  }
}

/**
 * The one place zod's issues become what a person reads, on the server's INVALID answers and in the
 * forms: a sentence per issue (the first three; how many more, after them).
 */
export function sentencesOfZodError(error: z.ZodError, most = 3): string {
  const shown = error.issues.slice(0, most).map(sentenceOfIssue);
  const more = error.issues.length - shown.length;
  return [...shown, ...(more > 0 ? [`${more === 1 ? 'One more field is' : `${more} more fields are`} not valid.`] : [])].join(' ');
}
