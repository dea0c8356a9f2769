import { z } from 'zod';

/**
 * The rights catalogue. Ids are stable (wire, database, tests); labels are the seeds' wording
 * (CallRex / Quality Management security profiles, inContact supervisor permissions).
 */
export const RIGHTS = [
  {
    id: 'recordingProfiles.administer',
    label: 'Administer Recording Profiles',
    description: 'Add, edit, delete call recording profiles (rules that decide which calls are recorded).',
  },
  { id: 'users.edit', label: 'Add/Edit Users', description: 'Add and edit users, their teams and the profile they hold.' },
  { id: 'users.delete', label: 'Delete Users', description: 'Delete users.' },
  { id: 'system.settings', label: 'Change System Settings', description: 'Administer security profiles and general settings; view the audit log.' },
  { id: 'phoneState.view', label: 'View Live Phone State', description: 'View the live call state of any managed user.' },
  { id: 'calls.handle', label: 'Handle Calls', description: 'Log in to the desktop agent and take calls.' },
  { id: 'recording.initiate', label: 'Initiate User Recording', description: "Start a real-time recording of a managed user's call." },
  { id: 'recording.pause', label: 'Pause User Recording', description: 'Pause and resume a recording of a managed user.' },
  { id: 'recording.playback', label: 'Playback Recording', description: 'Replay recordings of managed users.' },
  { id: 'recording.authorizePlayback', label: 'Authorizing User for Playback', description: 'Grant another user playback of a given recording.' },
  { id: 'recording.delete', label: 'Delete Recording', description: 'Delete recordings of managed users (irretrievable).' },
  { id: 'recording.export', label: 'Export Recording', description: 'Download a copy of a recording.' },
  { id: 'live.monitor', label: 'Live Monitor', description: "Listen to a managed user's call as it happens, unheard." },
  { id: 'live.coach', label: 'Coach', description: 'Speak so that only the agent hears.' },
  { id: 'live.barge', label: 'Barge', description: 'Speak so that the agent and the customer hear.' },
  { id: 'live.takeOver', label: 'Take Over', description: 'Remove the agent from the call and continue it.' },
  {
    id: 'live.notifications',
    label: 'Live Monitoring Notifications',
    description: "The desktop agent shows a notice while someone monitors, coaches, barges or takes over this user's call.",
  },
  { id: 'flags.manage', label: 'Manage Flags', description: 'Manage call flags used by managed users.' },
  { id: 'screen.view', label: 'View Computer Recordings', description: 'View and record the screen of a managed user.' },
  { id: 'scorecards.create', label: 'Create Scorecard', description: 'Create criteria for scoring recordings.' },
  { id: 'evaluations.create', label: 'Create Evaluations', description: 'Create and edit evaluations of managed users.' },
] as const;

export type RightId = (typeof RIGHTS)[number]['id'];

export const RIGHT_IDS = RIGHTS.map((r) => r.id) as unknown as readonly [RightId, ...RightId[]];

export const RightIdSchema = z.enum(RIGHT_IDS);

const LABELS = new Map<string, string>(RIGHTS.map((r) => [r.id, r.label]));

export function rightLabel(id: RightId): string {
  return LABELS.get(id) ?? id;
}

/** The live call controls: rule 5 of docs/permissions.md ties them to the phone view. */
export const LIVE_CONTROL_RIGHTS = ['live.monitor', 'live.coach', 'live.barge', 'live.takeOver'] as const satisfies readonly RightId[];
