import { describe, expect, it } from 'vitest';
import { custom, rightsOf, trainerRights } from '../testing/fixtures';
import { pagesFor, resolvePage } from './pageAccess';

describe('pagesFor: the menu follows the rights', () => {
  it('an Administrator sees every page', () => {
    expect(pagesFor(rightsOf('administrator'))).toEqual(['board', 'recordings', 'profiles', 'users', 'teams', 'audit', 'alerts']);
  });

  it('a Limited Admin (Add/Edit Users, recording rights, no system settings) sees the board, recordings, users and teams', () => {
    expect(pagesFor(rightsOf('limitedAdmin'))).toEqual(['board', 'recordings', 'users', 'teams', 'alerts']);
  });

  it('a Manager and a Trainer see the board and the recordings; an Agent and a Privileged User (own scope, taking calls) are sent to the desktop agent first', () => {
    expect(pagesFor(rightsOf('manager'))).toEqual(['board', 'recordings', 'alerts']);
    expect(pagesFor(trainerRights())).toEqual(['board', 'recordings', 'alerts']);
    expect(pagesFor(rightsOf('privilegedUser'))).toEqual(['desk', 'board', 'recordings', 'alerts']);
    expect(pagesFor(rightsOf('agent'))).toEqual(['desk', 'board', 'alerts']);
    expect(resolvePage('/', rightsOf('agent'))).toBe('desk');
    expect(resolvePage('/board', rightsOf('agent'))).toBe('board');
  });

  it('taking calls with a wider scope (a supervisor who also answers) opens no desktop-agent page', () => {
    expect(pagesFor({ ...rightsOf('manager'), rights: [...rightsOf('manager').rights, 'calls.handle'] })).toEqual(['board', 'recordings', 'alerts']);
  });

  it('any one recording right opens the recordings page; without the phone view there is no board', () => {
    expect(pagesFor(custom(['recording.playback']))).toEqual(['recordings']);
    expect(pagesFor(custom(['recording.export']))).toEqual(['recordings']);
    expect(pagesFor(custom(['recording.delete']))).toEqual(['recordings']);
    expect(pagesFor(custom(['recording.initiate', 'recording.pause']))).toEqual([]);
    expect(pagesFor(custom(['system.settings']))).toEqual(['profiles', 'audit', 'alerts']);
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
