import type { AuditRecord } from '@earshot/shared';
import { describe, expect, it } from 'vitest';
import { auditCsv, csvField } from './auditCsv';

const record = (overrides: Partial<AuditRecord> = {}): AuditRecord => ({
  id: 12,
  at: Date.UTC(2026, 10, 22, 9, 0, 0),
  actorId: 1,
  actorName: 'Alex Admin',
  action: 'profiles:update',
  targetType: 'profile',
  targetId: '5',
  outcome: 'ok',
  code: null,
  detail: { removed: ['live.barge'] },
  prevHash: 'aa',
  hash: 'bb',
  ...overrides,
});

describe('csvField', () => {
  it('quotes commas, quotes and line breaks (RFC 4180)', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    expect(csvField(42)).toBe('42');
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('-2')).toBe("'-2");
    expect(csvField('@SUM')).toBe("'@SUM");
  });
});

const NAMES = { users: { '1': 'Alex Admin' }, profiles: { '5': 'Manager' }, teams: {}, calls: {} };

it('writes a header and one CRLF line per record: what people read first (names, words, labelled details), then the ids and hashes', () => {
  const csv = auditCsv([record(), record({ id: 11, actorId: null, actorName: null, outcome: 'denied', code: 'FORBIDDEN', detail: {} })], NAMES);
  expect(csv).toBe(
    'Record,Time (UTC),Actor,Action,Target,Outcome,Details,Actor id,Action name,Target type,Target id,Error code,Previous hash,Hash\r\n' +
      '12,2026-11-22 09:00:00,Alex Admin,Changed profile rights,Manager,Done,Rights removed: Barge,1,profiles:update,profile,5,,aa,bb\r\n' +
      '11,2026-11-22 09:00:00,System,Changed profile rights,Manager,Not allowed,,,profiles:update,profile,5,FORBIDDEN,aa,bb\r\n',
  );
});
