/** The name of the error `browserAudioDevices` raises where getUserMedia does not exist: a page not served over https. */
export const INSECURE_PAGE = 'InsecurePageError';

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Why the microphone could not be opened, in the words the page shows (getUserMedia's DOMException names). */
export interface MicrophoneProblem {
  status: 'denied' | 'unavailable' | 'failed';
  message: string;
}

export function microphoneProblem(error: unknown): MicrophoneProblem {
  const name = typeof error === 'object' && error !== null && 'name' in error ? String((error as { name: unknown }).name) : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return { status: 'denied', message: 'The browser blocks the microphone for this site: allow it (the icon in the address bar), then try again.' };
    case 'NotFoundError':
    case 'OverconstrainedError':
      return { status: 'unavailable', message: 'No microphone was found: plug one in, then try again.' };
    case 'NotReadableError':
    case 'AbortError':
      return { status: 'unavailable', message: 'The microphone could not be started: another application may be using it.' };
    case INSECURE_PAGE:
      return { status: 'unavailable', message: 'The microphone needs a secure page: open Earshot over https.' };
    case 'NotSupportedError':
      return { status: 'unavailable', message: `This browser cannot capture the microphone for the call: ${messageOf(error)}` };
    default:
      return { status: 'failed', message: `The microphone failed: ${messageOf(error)}` };
  }
}
