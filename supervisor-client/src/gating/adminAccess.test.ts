import type { Profile } from '@earshot/shared';
import { INSTALLED_PROFILES } from '@earshot/shared';
import { describe, expect, it } from 'vitest';
import { custom, rightsOf } from '../testing/fixtures';
import { assignable, assignRefusal, matrixCell, profileDeletable, profileLock, scopeChoices, userActions } from './adminAccess';

const profiles: Profile[] = INSTALLED_PROFILES.map((p, i) => ({
  id: i + 1,
  key: p.key,
  name: p.name,
  rights: [...p.rights],
  scope: p.scope,
  memberCount: 1,
  locked: p.key === 'administrator',
}));
const byKey = (key: string) => profiles.find((p) => p.key === key)!;
const admin = rightsOf('administrator', 1);

describe('the profile matrix', () => {
  it('locks the Administrator column for everyone (rule 1)', () => {
    expect(profileLock(admin, byKey('administrator'))).toBe('Administrator holds every right and cannot be edited (rule 1)');
    expect(matrixCell(admin, byKey('administrator'), 'live.barge')).toEqual({
      editable: false,
      reason: 'Administrator holds every right and cannot be edited (rule 1)',
    });
  });

  it('lets an Administrator edit every cell of the other columns', () => {
    for (const p of profiles.filter((x) => !x.locked)) {
      expect(matrixCell(admin, p, 'live.barge').editable).toBe(true);
      expect(matrixCell(admin, p, 'live.takeOver').editable).toBe(true);
    }
  });

  it('gives an editor without a right no way to grant it, but lets them take it away (rule 6)', () => {
    const editor = custom(['system.settings', 'phoneState.view', 'live.monitor'], 'all');
    expect(matrixCell(editor, byKey('agent'), 'live.barge')).toEqual({ editable: false, reason: 'You cannot grant a right you do not hold (rule 6)' });
    expect(matrixCell(editor, byKey('manager'), 'live.barge')).toEqual({ editable: true, reason: null });
  });

  it('is read-only without Change System Settings', () => {
    expect(matrixCell(rightsOf('limitedAdmin'), byKey('manager'), 'live.coach')).toEqual({
      editable: false,
      reason: 'Editing profiles needs Change System Settings',
    });
  });

  it('offers scopes no wider than the editor’s own, plus the current one', () => {
    expect(scopeChoices(admin, 'own')).toEqual(['own', 'managed', 'all']);
    const managedEditor = custom(['system.settings'], 'managed');
    expect(scopeChoices(managedEditor, 'own')).toEqual(['own', 'managed']);
    expect(scopeChoices(managedEditor, 'all')).toEqual(['own', 'managed', 'all']);
  });

  it('deletes neither the Administrator (rule 1) nor the Agent profile (rule 3)', () => {
    expect(profileDeletable(admin, byKey('administrator'))).toBe(false);
    expect(profileDeletable(admin, byKey('agent'))).toBe(false);
    expect(profileDeletable(admin, byKey('manager'))).toBe(true);
  });
});

describe('users', () => {
  it('assigns only profiles within the editor’s own rights and scope (rule 6)', () => {
    const limited = rightsOf('limitedAdmin', 2);
    // Handle Calls and Live Monitoring Notifications do not count: Agents and Privileged Users are within reach.
    expect(profiles.filter((p) => assignable(limited, p)).map((p) => p.name)).toEqual(['Agent', 'Privileged User', 'Limited Admin']);
    expect(assignRefusal(limited, byKey('manager'))).toBe('you cannot assign it: it holds Barge (live.barge), which you do not (rule 6)');
    expect(profiles.filter((p) => assignable(admin, p)).map((p) => p.name)).toEqual(['Agent', 'Privileged User', 'Administrator', 'Limited Admin', 'Manager']);
  });

  it('offers Delete with Delete Users only, never on oneself, never on a user of a profile beyond the editor', () => {
    expect(userActions(admin, { id: 5, profileId: byKey('manager').id }, profiles)).toEqual({ edit: true, delete: true });
    expect(userActions(admin, { id: 1, profileId: byKey('administrator').id }, profiles)).toEqual({ edit: true, delete: false });
    const limited = rightsOf('limitedAdmin', 2);
    expect(userActions(limited, { id: 5, profileId: byKey('manager').id }, profiles)).toEqual({ edit: true, delete: false });
    const deleter = custom(
      [
        'users.edit',
        'users.delete',
        'phoneState.view',
        'calls.handle',
        'recording.initiate',
        'recording.pause',
        'live.notifications',
        'flags.manage',
        'screen.view',
      ],
      'all',
    );
    expect(userActions(deleter, { id: 5, profileId: byKey('agent').id }, profiles)).toEqual({ edit: true, delete: true });
    expect(userActions(deleter, { id: 6, profileId: byKey('manager').id }, profiles)).toEqual({ edit: true, delete: false });
  });
});
