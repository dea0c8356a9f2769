import {
  AGENT_CONTROLS,
  INSTALLED_PROFILES,
  SUPERVISION_MODES,
  type BoardEntry,
  type Call,
  type InstalledProfileKey,
  type MeRights,
  type PhoneStateName,
  type PlatformCapabilities,
  type RightId,
  type Scope,
  type SupervisionSessionView,
} from '@earshot/shared';

/** Test data in the wire's own types: the installed profiles as `me:rights` pushes them. */

export const T0 = Date.UTC(2026, 10, 22, 9, 0, 0);

/** A telephony platform that carries every mode, recording and every agent control (the simulator's). */
export const EVERY_CAPABILITY: PlatformCapabilities = {
  name: 'simulator',
  modes: [...SUPERVISION_MODES],
  recording: true,
  agentControls: [...AGENT_CONTROLS],
};

export function rightsOf(key: InstalledProfileKey, userId = 100, profileId = 1): MeRights {
  const p = INSTALLED_PROFILES.find((x) => x.key === key)!;
  return { userId, profileId, profileName: p.name, rights: [...p.rights], scope: p.scope };
}

/** The demo floor's Trainer: Live Monitor and Coach, never Barge (docs/permissions.md rule 8). */
export function trainerRights(userId = 100): MeRights {
  return {
    userId,
    profileId: 6,
    profileName: 'Trainer',
    scope: 'managed',
    rights: ['phoneState.view', 'live.monitor', 'live.coach', 'recording.playback', 'evaluations.create', 'scorecards.create'],
  };
}

export function withoutRight(me: MeRights, right: RightId): MeRights {
  return { ...me, rights: me.rights.filter((r) => r !== right) };
}

export function custom(rights: RightId[], scope: Scope = 'managed', userId = 100): MeRights {
  return { userId, profileId: 9, profileName: 'Custom', rights, scope };
}

export function call(overrides: Partial<Call> = {}): Call {
  return {
    callId: 'call-1',
    direction: 'inbound',
    remoteNumberMasked: '+1••••••1234',
    queue: 'Billing',
    startedAt: T0,
    recording: 'off',
    supervisions: [],
    ...overrides,
  };
}

export function entry(
  userId: number,
  displayName: string,
  state: PhoneStateName,
  overrides: { call?: Call | null; since?: number; teamIds?: number[]; notReadyReason?: string | null } = {},
): BoardEntry {
  const onCall = state === 'talking' || state === 'held' || state === 'ringing';
  return {
    userId,
    displayName,
    teamIds: overrides.teamIds ?? [1],
    phone: {
      userId,
      state,
      notReadyReason: overrides.notReadyReason ?? null,
      since: overrides.since ?? T0,
      call: overrides.call !== undefined ? overrides.call : onCall ? call({ callId: `call-${userId}` }) : null,
    },
  };
}

export function session(overrides: Partial<SupervisionSessionView> = {}): SupervisionSessionView {
  return {
    sessionId: 'sup-1',
    supervisorId: 100,
    supervisorName: 'Ava Hill',
    mode: 'monitor',
    since: T0,
    callId: 'call-7',
    agentId: 7,
    agentName: 'Ben Baker',
    startedAt: T0,
    ...overrides,
  };
}
