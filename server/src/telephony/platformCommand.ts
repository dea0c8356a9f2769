import type { AgentControl, SupervisionMode } from '@earshot/shared';
import { ActionError } from '../domain/actionError.js';
import type { TelephonyPlatform } from './platform.js';

/**
 * Runs one platform command for an action. A refusal of Earshot's own (an `ActionError`) passes as it is;
 * any other failure is the platform's, and the action fails with a message that names the platform and
 * what it could not do, never the platform's own words (an adapter logs those itself: they may hold
 * addresses and credentials' names). The caller undoes what it did before, so nothing is left half-done;
 * `outcome` says what that undoing left when it is not "nothing was changed".
 */
export async function carryOut(platform: TelephonyPlatform, what: string, run: () => Promise<void>, outcome = 'nothing was changed'): Promise<void> {
  try {
    await run();
  } catch (e) {
    if (e instanceof ActionError) throw e;
    throw new ActionError('INTERNAL', `The telephony platform (${platform.name}) could not ${what}; ${outcome}`);
  }
}

/** The apps offer only what the platform carries (PlatformCapabilities); a request for anything else is refused. */
export function assertModeCarried(platform: TelephonyPlatform, mode: SupervisionMode): void {
  if (!platform.capabilities.modes.includes(mode)) {
    throw new ActionError('INVALID', `mode: the telephony platform (${platform.name}) does not carry ${mode}`);
  }
}

export function assertControlCarried(platform: TelephonyPlatform, control: AgentControl): void {
  if (!platform.capabilities.agentControls.includes(control)) {
    throw new ActionError('INVALID', `The telephony platform (${platform.name}) does not let the desktop agent ${control} a call`);
  }
}

export function assertRecordingCarried(platform: TelephonyPlatform): void {
  if (!platform.capabilities.recording) {
    throw new ActionError('INVALID', `The telephony platform (${platform.name}) does not carry recording`);
  }
}
