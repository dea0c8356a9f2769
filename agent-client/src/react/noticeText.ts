import type { SupervisionMode, SupervisionNotice } from '@earshot/shared';

/** The mode as the agent reads it: its name, and what it means for who hears whom (docs/architecture.md audio table). */
export const MODE_TEXT: Record<SupervisionMode, { label: string; doing: string; hint: string }> = {
  monitor: { label: 'Monitoring', doing: 'is listening to your call', hint: 'Nobody hears them.' },
  coach: { label: 'Coaching', doing: 'is coaching you', hint: 'Only you hear them; the customer does not.' },
  barge: { label: 'Barge-in', doing: 'has joined your call', hint: 'You and the customer both hear them.' },
  takeOver: { label: 'Take over', doing: 'has taken over your call', hint: 'They continue the call with the customer.' },
};

const STOPPED: Record<SupervisionMode, string> = {
  monitor: 'stopped listening to your call',
  coach: 'stopped coaching you',
  barge: 'left your call',
  takeOver: 'ended the take-over of your call',
};

/** One sentence per notice: what a screen reader announces and what an OS notification says. */
export function describeNotice(notice: SupervisionNotice): string {
  const who = notice.supervisor.name;
  if (notice.phase === 'ended' && notice.reason === 'server-restarted') return `${who} ${STOPPED[notice.mode]}: the server restarted.`;
  if (notice.phase === 'ended' && notice.reason === 'node-failed') return `${who} ${STOPPED[notice.mode]}: the server handling your call failed.`;
  if (notice.phase === 'ended' && notice.reason === 'platform-refused')
    return `${who} could not take over your call: the phone system refused. You are still on the call.`;
  if (notice.phase === 'ended') return `${who} ${STOPPED[notice.mode]}.`;
  const { doing, hint } = MODE_TEXT[notice.mode];
  return `${who} ${doing}. ${hint}`;
}

/** "Monitoring, then coaching": the modes of one supervision, in the order it went through them. */
export function modesText(modes: readonly SupervisionMode[]): string {
  return modes.map((mode, i) => (i === 0 ? MODE_TEXT[mode].label : MODE_TEXT[mode].label.toLowerCase())).join(', then ');
}
