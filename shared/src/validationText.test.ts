import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { PasswordSchema, UsernameSchema } from './messages/auth.js';
import { ProfileNameSchema } from './messages/profiles.js';
import { sentencesOfZodError } from './validationText.js';

const sentences = (schema: z.ZodType, value: unknown) => {
  const r = schema.safeParse(value);
  if (r.success) throw new Error('expected a refusal');
  return sentencesOfZodError(r.error);
};

describe('validation errors as sentences', () => {
  it('a short password, a long name, a missing field, an empty one', () => {
    const form = z.strictObject({ password: PasswordSchema, name: ProfileNameSchema, displayName: z.string().trim().min(1), username: UsernameSchema });
    expect(sentences(form, { password: 'abc', name: 'x'.repeat(21), displayName: '  ', username: 'ok' })).toBe(
      'The password needs at least 8 characters. The name may have at most 20 characters. The display name is required.',
    );
    expect(sentences(form, { name: 'Trainer', displayName: 'Dana', username: 'dana', password: 'long enough', extra: 1 })).toBe(
      'The request has a field this action does not take: "extra".',
    );
    expect(sentences(form, { name: 'Trainer', displayName: 'Dana', username: 'dana' })).toBe('The password is missing.');
  });

  it("a schema's own wording completes the sentence; a list entry is named by its place", () => {
    expect(sentences(z.object({ username: UsernameSchema }), { username: '-x' })).toBe(
      'The username may use only lowercase letters, digits, dot, dash or underscore, and starts with a letter or digit.',
    );
    expect(sentences(z.object({ scope: z.enum(['own', 'managed', 'all']) }), { scope: 'some' })).toBe('The scope must be "own", "managed" or "all".');
    expect(sentences(z.object({ memberIds: z.array(z.number().int()) }), { memberIds: [1, 2.5] })).toBe(
      'Entry 2 of the list of members must be a whole number.',
    );
    expect(sentences(z.object({ limit: z.number().min(1).max(500) }), { limit: 501 })).toBe('The limit must be at most 500.');
  });

  it('past three problems, their count', () => {
    const four = z.object({ a: z.string(), b: z.string(), c: z.string(), d: z.string(), e: z.string() });
    expect(sentences(four, {})).toBe('The a is missing. The b is missing. The c is missing. 2 more fields are not valid.');
  });
});
