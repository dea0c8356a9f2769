import { INSTALLED_PROFILES, RIGHT_IDS, type InstalledProfileKey, type RightId } from '@earshot/shared';
import { describe, expect, it } from 'vitest';
import type { Actor } from './actor.js';
import { decideAccess } from './decideAccess.js';

/**
 * The expected answers, written out by hand from the table in docs/permissions.md ("Installed profiles and their
 * defaults", with its scope row: Agent own, Privileged User own, Administrator all, Limited Admin all,
 * Manager managed). Three letters per profile, for the targets self / a member of a team the actor
 * supervises / anybody else: A allowed, F FORBIDDEN (right missing), O OUT_OF_SCOPE.
 */
const EXPECTED = `
right                          Agent Privileged Administrator LimitedAdmin Manager
recordingProfiles.administer   FFF   FFF        AAA           AAA          FFF
users.edit                     FFF   FFF        AAA           AAA          FFF
users.delete                   FFF   FFF        AAA           FFF          FFF
system.settings                FFF   FFF        AAA           FFF          FFF
phoneState.view                AOO   AOO        AAA           AAA          AAO
calls.handle                   AOO   AOO        AAA           FFF          FFF
recording.initiate             AOO   AOO        AAA           AAA          AAO
recording.pause                AOO   AOO        AAA           AAA          AAO
recording.playback             FFF   AOO        AAA           AAA          AAO
recording.authorizePlayback    FFF   FFF        AAA           FFF          FFF
recording.delete               FFF   FFF        AAA           AAA          AAO
recording.export               FFF   FFF        AAA           AAA          AAO
live.monitor                   FFF   FFF        AAA           AAA          AAO
live.coach                     FFF   FFF        AAA           AAA          AAO
live.barge                     FFF   FFF        AAA           FFF          AAO
live.takeOver                  FFF   FFF        AAA           FFF          FFF
live.notifications             AOO   FFF        AAA           FFF          FFF
flags.manage                   AOO   AOO        AAA           AAA          AAO
screen.view                    AOO   AOO        AAA           AAA          AAO
scorecards.create              FFF   FFF        AAA           AAA          AAO
evaluations.create             FFF   FFF        AAA           AAA          AAO
`;

const COLUMNS: InstalledProfileKey[] = ['agent', 'privilegedUser', 'administrator', 'limitedAdmin', 'manager'];
const TARGETS = [
  { name: 'self', id: 1 },
  { name: 'member of a supervised team', id: 2 },
  { name: 'anybody else', id: 3 },
] as const;
const LETTER = { A: 'allowed', F: 'FORBIDDEN', O: 'OUT_OF_SCOPE' } as const;

const rows = EXPECTED.trim()
  .split('\n')
  .slice(1)
  .map((line) => line.trim().split(/\s+/));

function actorFor(key: InstalledProfileKey): Actor {
  const p = INSTALLED_PROFILES.find((x) => x.key === key)!;
  // Every actor supervises a team whose member is user 2, so that only the profile's scope decides.
  return { id: 1, displayName: 'Actor', profileId: 1, profileName: p.name, rights: new Set(p.rights), scope: p.scope, managedUserIds: new Set([2]) };
}

describe('decideAccess over the full matrix of permissions.md', () => {
  it('covers every right of the catalogue exactly once', () => {
    expect(rows.map((r) => r[0])).toEqual([...RIGHT_IDS]);
  });

  const cases = rows.flatMap(([right, ...cols]) =>
    COLUMNS.flatMap((profile, i) =>
      TARGETS.map((target, t) => ({ right: right as RightId, profile, target, expected: LETTER[cols[i]![t] as keyof typeof LETTER] })),
    ),
  );

  it('has 21 rights × 5 profiles × 3 targets', () => expect(cases).toHaveLength(315));

  it.each(cases)('$profile · $right · $target.name → $expected', ({ right, profile, target, expected }) => {
    const d = decideAccess(actorFor(profile), right, target.id);
    expect(d.allowed ? 'allowed' : d.code).toBe(expected);
  });
});

describe('decideAccess messages', () => {
  it('names the profile and the missing right', () => {
    expect(decideAccess(actorFor('agent'), 'live.monitor', 1)).toEqual({
      allowed: false,
      code: 'FORBIDDEN',
      message: 'Your profile (Agent) does not hold Live Monitor (live.monitor)',
    });
  });

  it('names the target and the scope', () => {
    expect(decideAccess(actorFor('manager'), 'live.monitor', 3)).toEqual({
      allowed: false,
      code: 'OUT_OF_SCOPE',
      message: 'User 3 is outside your scope (managed: yourself and the members of the teams you supervise)',
    });
  });

  it('checks the right first: a missing right is FORBIDDEN even out of scope', () => {
    const d = decideAccess(actorFor('manager'), 'live.takeOver', 3);
    expect(d.allowed ? 'allowed' : d.code).toBe('FORBIDDEN');
  });

  it('an action that reaches no user needs the right only', () => {
    expect(decideAccess(actorFor('agent'), 'phoneState.view', null)).toEqual({ allowed: true });
    expect(decideAccess(actorFor('agent'), 'system.settings', null).allowed).toBe(false);
  });
});
