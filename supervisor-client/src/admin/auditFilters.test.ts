import { describe, expect, it } from 'vitest';
import { auditQueryOf, detailSummary, EMPTY_AUDIT_FILTER } from './auditFilters';

describe('auditQueryOf', () => {
  it('leaves out every empty field', () => {
    expect(auditQueryOf(EMPTY_AUDIT_FILTER)).toEqual({});
  });

  it('passes action, outcome, actor, target and times', () => {
    const from = '2026-11-22T09:00';
    expect(
      auditQueryOf({ action: ' supervise: ', outcome: 'denied', actorId: '4', targetType: 'user', targetId: ' 12 ', from, to: '' }),
    ).toEqual({ action: 'supervise:', outcome: 'denied', actorId: 4, targetType: 'user', targetId: '12', from: new Date(from).getTime() });
  });

  it('ignores a time it cannot read', () => {
    expect(auditQueryOf({ ...EMPTY_AUDIT_FILTER, to: 'not a time' })).toEqual({});
  });
});

it('summarizes a detail on one line, the refusal first and the request last, and cuts it', () => {
  expect(detailSummary({ input: { profileId: 5 }, added: [], removed: ['live.barge'], scope: undefined })).toBe('removed: ["live.barge"]; input: {"profileId":5}');
  expect(detailSummary({ input: { profileId: 5 }, message: 'Coach needs Live Monitor' })).toBe('message: Coach needs Live Monitor; input: {"profileId":5}');
  expect(detailSummary({ reason: 'stopped' })).toBe('reason: stopped');
  expect(detailSummary({ text: 'x'.repeat(200) }, 20)).toBe(`text: ${'x'.repeat(13)}…`);
});
