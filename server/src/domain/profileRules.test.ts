import { INSTALLED_PROFILES, RIGHT_IDS, type RightId } from '@earshot/shared';
import { describe, expect, it } from 'vitest';
import { ActionError } from './actionError.js';
import {
  assertAssignable,
  assertDeletable,
  assertEditable,
  assertNoEscalation,
  assertValidDefinition,
  dependencyViolations,
  assignmentViolation,
  escalationViolation,
  normalizeRights,
  profileNameConflict,
  profileNameViolation,
  type StoredProfile,
} from './profileRules.js';

function thrown(fn: () => void): { code: string; message: string } {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ActionError);
    return { code: (e as ActionError).code, message: (e as ActionError).message };
  }
  throw new Error('expected a refusal');
}

const stored = (key: StoredProfile['key'], name: string, rights: RightId[] = [], scope: StoredProfile['scope'] = 'own'): StoredProfile => ({
  id: 9,
  key,
  name,
  rights,
  scope,
});

describe('rule 1: the Administrator profile', () => {
  const admin = stored('administrator', 'Administrator', [...RIGHT_IDS], 'all');
  it('holds every right with scope all by default', () => {
    const p = INSTALLED_PROFILES.find((x) => x.key === 'administrator')!;
    expect(normalizeRights(p.rights)).toEqual([...RIGHT_IDS]);
    expect(p.scope).toBe('all');
  });
  it('cannot be edited', () => {
    expect(thrown(() => assertEditable(admin, 'edited'))).toEqual({
      code: 'FORBIDDEN',
      message: 'The Administrator profile holds every right and cannot be edited (rule 1)',
    });
  });
  it('cannot be renamed', () => {
    expect(thrown(() => assertEditable(admin, 'renamed'))).toEqual({
      code: 'FORBIDDEN',
      message: 'The Administrator profile holds every right and cannot be renamed (rule 1)',
    });
  });
  it('cannot be deleted', () => {
    expect(thrown(() => assertDeletable(admin))).toEqual({
      code: 'FORBIDDEN',
      message: 'The Administrator profile holds every right and cannot be deleted (rule 1)',
    });
  });
  it('other profiles can be edited', () => {
    expect(() => assertEditable(stored('manager', 'Manager'), 'edited')).not.toThrow();
  });
});

describe('rule 2: profile names', () => {
  it('accepts 1 and 20 characters', () => {
    expect(profileNameViolation('A')).toBeNull();
    expect(profileNameViolation('x'.repeat(20))).toBeNull();
  });
  it('refuses 21 characters with INVALID naming the field', () => {
    expect(profileNameViolation('x'.repeat(21))).toEqual({
      rule: 2,
      code: 'INVALID',
      message: `name: a profile name is 1 to 20 characters (rule 2); "${'x'.repeat(21)}" has 21`,
    });
  });
  it('refuses an empty or blank name', () => {
    expect(profileNameViolation('   ')?.code).toBe('INVALID');
  });
  it('refuses a duplicate ignoring case with CONFLICT', () => {
    expect(profileNameConflict('mAnAgEr', [{ id: 5, name: 'Manager' }], null)).toEqual({
      rule: 2,
      code: 'CONFLICT',
      message: 'name: a profile named "Manager" already exists (rule 2: names are unique, ignoring case)',
    });
  });
  it('lets a profile keep its own name in another case', () => {
    expect(profileNameConflict('MANAGER', [{ id: 5, name: 'Manager' }], 5)).toBeNull();
  });
});

describe('rule 3: the Agent profile', () => {
  it('cannot be deleted', () => {
    expect(thrown(() => assertDeletable(stored('agent', 'Agent')))).toEqual({
      code: 'FORBIDDEN',
      message: 'The Agent profile receives the members of deleted profiles and cannot be deleted (rule 3)',
    });
  });
  it('a defined profile can be deleted', () => {
    expect(() => assertDeletable(stored(null, 'Trainer'))).not.toThrow();
  });
});

describe('rule 5: live call control needs the phone view', () => {
  const cases: { rights: RightId[]; missing: RightId; message: string }[] = [
    {
      rights: ['live.monitor'],
      missing: 'phoneState.view',
      message: 'Live Monitor needs View Live Phone State (phoneState.view): live call control needs the phone view (rule 5)',
    },
    {
      rights: ['recording.initiate'],
      missing: 'phoneState.view',
      message: 'Initiate User Recording needs View Live Phone State (phoneState.view): live call control needs the phone view (rule 5)',
    },
    {
      rights: ['recording.pause'],
      missing: 'phoneState.view',
      message: 'Pause User Recording needs View Live Phone State (phoneState.view): live call control needs the phone view (rule 5)',
    },
    {
      rights: ['phoneState.view', 'live.coach'],
      missing: 'live.monitor',
      message: 'Coach needs Live Monitor (live.monitor): coaching starts from listening (rule 5)',
    },
    {
      rights: ['phoneState.view', 'live.barge'],
      missing: 'live.monitor',
      message: 'Barge needs Live Monitor (live.monitor): barging starts from listening (rule 5)',
    },
    {
      rights: ['phoneState.view', 'live.monitor', 'live.takeOver'],
      missing: 'calls.handle',
      message: 'Take Over needs Handle Calls (calls.handle): whoever takes over a call must be able to handle calls (rule 5)',
    },
  ];
  it.each(cases)('$rights → missing $missing', ({ rights, missing, message }) => {
    expect(dependencyViolations(rights)[0]).toEqual({ rule: 5, code: 'INVALID', missingRight: missing, message });
    expect(thrown(() => assertValidDefinition({ name: 'P', rights, scope: 'own' }))).toEqual({ code: 'INVALID', message });
  });
  it('each of coach, barge and take over without the phone view names it', () => {
    for (const r of ['live.coach', 'live.barge', 'live.takeOver'] as const) {
      expect(dependencyViolations([r]).map((v) => v.missingRight)).toContain('phoneState.view');
    }
  });
  it('every installed profile keeps the rule', () => {
    for (const p of INSTALLED_PROFILES) expect(dependencyViolations(p.rights)).toEqual([]);
  });
});

describe('rule 6: no escalation', () => {
  const editor = { rights: new Set<RightId>(['system.settings', 'phoneState.view', 'live.monitor']), scope: 'managed' as const };
  it('refuses to grant a right the editor lacks, naming it', () => {
    expect(escalationViolation(editor, { rights: ['phoneState.view', 'live.monitor', 'live.coach'], scope: 'own' }, null)).toEqual({
      rule: 6,
      code: 'FORBIDDEN',
      missingRight: 'live.coach',
      message: 'You cannot grant Coach (live.coach): you do not hold it yourself (rule 6, no escalation)',
    });
  });
  it('refuses a scope wider than the editor own', () => {
    expect(thrown(() => assertNoEscalation(editor, { rights: ['phoneState.view'], scope: 'all' }, null))).toEqual({
      code: 'FORBIDDEN',
      message: 'You cannot give scope "all": it is wider than your own ("managed") (rule 6, no escalation)',
    });
  });
  it('allows keeping a right the editor could not have given', () => {
    const before = { rights: ['phoneState.view', 'live.barge', 'live.monitor'] as RightId[], scope: 'all' as const };
    expect(escalationViolation(editor, { rights: ['phoneState.view', 'live.barge', 'live.monitor'], scope: 'all' }, before)).toBeNull();
    expect(escalationViolation(editor, { rights: ['phoneState.view'], scope: 'own' }, before)).toBeNull();
  });
  it('refuses to assign a profile that holds more, naming the right', () => {
    const limitedAdmin = INSTALLED_PROFILES.find((p) => p.key === 'limitedAdmin')!;
    const administrator = INSTALLED_PROFILES.find((p) => p.key === 'administrator')!;
    expect(thrown(() => assertAssignable({ rights: new Set(limitedAdmin.rights), scope: 'all' }, administrator))).toEqual({
      code: 'FORBIDDEN',
      message: 'You cannot assign the Administrator profile: it holds Delete Users (users.delete), which you do not (rule 6, no escalation)',
    });
  });
  it('refuses to assign a wider scope', () => {
    const own = { rights: new Set<RightId>(['phoneState.view']), scope: 'own' as const };
    expect(thrown(() => assertAssignable(own, { name: 'Viewer', rights: ['phoneState.view'], scope: 'managed' }))).toEqual({
      code: 'FORBIDDEN',
      message: 'You cannot assign the Viewer profile: its scope "managed" is wider than your own ("own") (rule 6, no escalation)',
    });
  });
  it('Handle Calls and Live Monitoring Notifications do not count: a Limited Admin assigns Agent and Privileged User, not Manager or Administrator', () => {
    const installed = (key: string) => INSTALLED_PROFILES.find((p) => p.key === key)!;
    const limitedAdmin = { rights: new Set(installed('limitedAdmin').rights), scope: installed('limitedAdmin').scope };
    expect(limitedAdmin.rights.has('calls.handle') || limitedAdmin.rights.has('live.notifications')).toBe(false);
    expect(assignmentViolation(limitedAdmin, installed('agent'))).toBeNull();
    expect(assignmentViolation(limitedAdmin, installed('privilegedUser'))).toBeNull();
    expect(assignmentViolation(limitedAdmin, installed('manager'))).toEqual({
      rule: 6,
      code: 'FORBIDDEN',
      missingRight: 'live.barge',
      message: 'You cannot assign the Manager profile: it holds Barge (live.barge), which you do not (rule 6, no escalation)',
    });
    expect(assignmentViolation(limitedAdmin, installed('administrator'))?.missingRight).toBe('users.delete');
  });
  it('a profile edit may add Handle Calls or Live Monitoring Notifications without the editor holding them; any other right still counts', () => {
    expect(escalationViolation(editor, { rights: ['phoneState.view', 'calls.handle', 'live.notifications'], scope: 'own' }, null)).toBeNull();
    expect(escalationViolation(editor, { rights: ['phoneState.view', 'calls.handle', 'recording.initiate'], scope: 'own' }, null)?.missingRight).toBe(
      'recording.initiate',
    );
  });
  it('allows assigning an equal or lesser profile', () => {
    const agent = INSTALLED_PROFILES.find((p) => p.key === 'agent')!;
    const administrator = INSTALLED_PROFILES.find((p) => p.key === 'administrator')!;
    expect(() => assertAssignable({ rights: new Set(administrator.rights), scope: 'all' }, agent)).not.toThrow();
  });
});

describe('rule 8: administrators define new profiles from any set that keeps rule 5', () => {
  it('a Trainer with Live Monitor and Coach is valid', () => {
    expect(() => assertValidDefinition({ name: 'Trainer', rights: ['phoneState.view', 'live.monitor', 'live.coach'], scope: 'managed' })).not.toThrow();
  });
  it('a profile with no rights at all is valid', () => {
    expect(() => assertValidDefinition({ name: 'Nobody', rights: [], scope: 'own' })).not.toThrow();
  });
});

describe('normalizeRights', () => {
  it('keeps catalogue order and drops repeats', () => {
    expect(normalizeRights(['live.coach', 'phoneState.view', 'live.coach'])).toEqual(['phoneState.view', 'live.coach']);
  });
});
