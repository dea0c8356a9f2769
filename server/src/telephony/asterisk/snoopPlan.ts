import type { SupervisionMode } from '@earshot/shared';
import type { SnoopDirection } from './ariRest.js';

/**
 * Who hears what through a snoop on the agent's channel, as measured on Asterisk 22.10.1 (snoop on the
 * agent's channel in a two-party mixing bridge; docs/telephony/asterisk.md has the table):
 * - `spy=in` carries only the agent's voice, `spy=out` only what the agent hears (the customer);
 * - `whisper=out` is heard by the agent only, `whisper=both` by the agent and the customer, `whisper=in`
 *   by the customer only, as if the agent said it; a supervisor never hears their own whisper.
 *
 * So two snoops give the two tracks apart, and the supervisor's voice rides on the customer-track snoop.
 */
export type TapTrack = 'agent' | 'customer';

export const SPY_OF_TRACK: Record<TapTrack, SnoopDirection> = { agent: 'in', customer: 'out' };

/** The whisper a mode needs on the customer-track snoop: coach to the agent only, barge to both. */
export function whisperOfMode(mode: SupervisionMode | null): SnoopDirection {
  switch (mode) {
    case 'coach':
      return 'out';
    case 'barge':
      return 'both';
    default:
      // Monitor says nothing; a taken-over call carries the supervisor on a leg of its own in the call's bridge.
      return 'none';
  }
}

/** The track whose snoop carries the whisper. */
export const WHISPER_TRACK: TapTrack = 'customer';
