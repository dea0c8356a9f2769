import { describe, expect, it } from 'vitest';
import { auditQueryOf, EMPTY_AUDIT_FILTER } from './auditFilters';

describe('auditQueryOf', () => {
  it('leaves out every empty field', () => {
    expect(auditQueryOf(EMPTY_AUDIT_FILTER)).toEqual({});
  });

  it('passes action, outcome, actor, target and times', () => {
    const from = '2026-11-22T09:00';
    expect(auditQueryOf({ action: ' supervise: ', outcome: 'denied', actorId: '4', targetType: 'user', targetId: ' 12 ', from, to: '' })).toEqual({
      action: 'supervise:',
      outcome: 'denied',
      actorId: 4,
      targetType: 'user',
      targetId: '12',
      from: new Date(from).getTime(),
    });
  });

  it('ignores a time it cannot read', () => {
    expect(auditQueryOf({ ...EMPTY_AUDIT_FILTER, to: 'not a time' })).toEqual({});
  });
});
