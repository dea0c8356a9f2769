import { describe, expect, it } from 'vitest';
import { custom, rightsOf, trainerRights } from '../testing/fixtures';
import { pagesFor, resolvePage } from './pageAccess';

describe('pagesFor: the menu follows the rights', () => {
  it('an Administrator sees every page', () => {
    expect(pagesFor(rightsOf('administrator'))).toEqual(['board', 'profiles', 'users', 'teams', 'audit']);
  });

  it('a Limited Admin (Add/Edit Users, no system settings) sees the board, users and teams, not profiles or the audit log', () => {
    expect(pagesFor(rightsOf('limitedAdmin'))).toEqual(['board', 'users', 'teams']);
  });

  it('a Manager, a Trainer and an Agent see the board only', () => {
    expect(pagesFor(rightsOf('manager'))).toEqual(['board']);
    expect(pagesFor(trainerRights())).toEqual(['board']);
    expect(pagesFor(rightsOf('agent'))).toEqual(['board']);
  });

  it('a profile without the phone view has no board', () => {
    expect(pagesFor(custom(['recording.playback']))).toEqual([]);
    expect(pagesFor(custom(['system.settings']))).toEqual(['profiles', 'audit']);
  });
});

describe('resolvePage: a path the rights do not open falls back to the first page they do', () => {
  it('keeps an allowed page', () => {
    expect(resolvePage('/audit', rightsOf('administrator'))).toBe('audit');
  });

  it('sends a Manager who opens /profiles to the board', () => {
    expect(resolvePage('/profiles', rightsOf('manager'))).toBe('board');
  });

  it('sends an unknown path to the first page', () => {
    expect(resolvePage('/', rightsOf('administrator'))).toBe('board');
    expect(resolvePage('/nowhere', custom(['system.settings']))).toBe('profiles');
  });

  it('has no page for a profile that opens none', () => {
    expect(resolvePage('/board', custom([]))).toBeNull();
  });
});
