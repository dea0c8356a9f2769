import { PHONE_STATE_NAMES, type PhoneStateName } from '@earshot/shared';

/** How each phone state reads on the board; the colour is the CSS class `state-<name>`. */
export const PHONE_STATE_LABEL: Record<PhoneStateName, string> = {
  available: 'Available',
  ringing: 'Ringing',
  talking: 'Talking',
  held: 'On hold',
  wrapUp: 'Wrap-up',
  notReady: 'Not ready',
  loggedOut: 'Logged out',
};

/** Wallboard order: the states a supervisor acts on first. */
export const WALLBOARD_ORDER: readonly PhoneStateName[] = ['available', 'ringing', 'talking', 'held', 'wrapUp', 'notReady', 'loggedOut'];

// Every state of the wire has its place on the wallboard.
if (WALLBOARD_ORDER.length !== PHONE_STATE_NAMES.length) throw new Error('WALLBOARD_ORDER must list every phone state');
