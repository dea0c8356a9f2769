import type { RightId } from './rights.js';
import { RIGHT_IDS } from './rights.js';
import type { Scope } from './scopes.js';

/** Installed profiles are addressed by a stable key: names may be edited, the key never. */
export const INSTALLED_PROFILE_KEYS = ['agent', 'privilegedUser', 'administrator', 'limitedAdmin', 'manager'] as const;
export type InstalledProfileKey = (typeof INSTALLED_PROFILE_KEYS)[number];

export interface InstalledProfile {
  key: InstalledProfileKey;
  name: string;
  rights: readonly RightId[];
  scope: Scope;
}

/** The defaults table of docs/permissions.md ("Installed profiles and their defaults"). */
export const INSTALLED_PROFILES: readonly InstalledProfile[] = [
  {
    key: 'agent',
    name: 'Agent',
    scope: 'own',
    rights: ['phoneState.view', 'calls.handle', 'recording.initiate', 'recording.pause', 'live.notifications', 'flags.manage', 'screen.view'],
  },
  {
    key: 'privilegedUser',
    name: 'Privileged User',
    scope: 'own',
    rights: ['phoneState.view', 'calls.handle', 'recording.initiate', 'recording.pause', 'recording.playback', 'flags.manage', 'screen.view'],
  },
  // docs/permissions.md rule 1: the Administrator holds every right with scope `all`.
  { key: 'administrator', name: 'Administrator', scope: 'all', rights: [...RIGHT_IDS] },
  {
    key: 'limitedAdmin',
    name: 'Limited Admin',
    scope: 'all',
    rights: [
      'recordingProfiles.administer',
      'users.edit',
      'phoneState.view',
      'recording.initiate',
      'recording.pause',
      'recording.playback',
      'recording.delete',
      'recording.export',
      'live.monitor',
      'live.coach',
      'flags.manage',
      'screen.view',
      'scorecards.create',
      'evaluations.create',
    ],
  },
  {
    key: 'manager',
    name: 'Manager',
    scope: 'managed',
    rights: [
      'phoneState.view',
      'recording.initiate',
      'recording.pause',
      'recording.playback',
      'recording.delete',
      'recording.export',
      'live.monitor',
      'live.coach',
      'live.barge',
      'flags.manage',
      'screen.view',
      'scorecards.create',
      'evaluations.create',
    ],
  },
];

export const PROFILE_NAME_MAX = 20;
