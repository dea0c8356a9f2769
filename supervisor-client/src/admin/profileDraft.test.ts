import { expect, it } from 'vitest';
import { draftChanges, draftOf, isDirty, withRight } from './profileDraft';

const manager = { rights: ['phoneState.view', 'live.monitor', 'live.coach', 'live.barge'] as const, scope: 'managed' as const };

it('a draft keeps rights in the catalogue order and knows what changed', () => {
  const draft = withRight(withRight(draftOf({ ...manager, rights: [...manager.rights] }), 'live.barge', false), 'calls.handle', true);
  expect(draft.rights).toEqual(['phoneState.view', 'calls.handle', 'live.monitor', 'live.coach']);
  expect(draftChanges({ ...manager, rights: [...manager.rights] }, draft)).toEqual({ added: ['calls.handle'], removed: ['live.barge'], scope: null });
});

it('a draft put back as it was is not dirty', () => {
  const profile = { ...manager, rights: [...manager.rights] };
  const back = withRight(withRight(draftOf(profile), 'live.barge', false), 'live.barge', true);
  expect(isDirty(profile, back)).toBe(false);
  expect(isDirty(profile, undefined)).toBe(false);
  expect(isDirty(profile, { ...draftOf(profile), scope: 'all' })).toBe(true);
});
