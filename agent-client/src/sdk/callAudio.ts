import type { AgentPhoneState, Call, MediaTokenResponse } from '@earshot/shared';

/** How the audio reaches the media plane for one call: the server, and a token for its media socket. */
export interface MediaAccess {
  /** The Earshot server; the media socket is `ws(s)://<its host><path>?token=<token>`. */
  url: string;
  /** Asks the server (`media:token { callId }`) for a short-lived, single-use media token for this call. */
  mediaToken(): Promise<MediaTokenResponse>;
}

/**
 * The seam for the agent's audio. The control plane (this SDK) does not carry audio; a `CallAudio`
 * given to `createAgentClient` is told when the agent's call connects and when it ends, and streams the
 * microphone to the media plane in between (issue 6). Held calls stay connected: holding is the
 * telephony's business, not the stream's.
 */
export interface CallAudio {
  callConnected(call: Call, media: MediaAccess): void;
  callEnded(callId: string): void;
}

export type CallAudioChange = { type: 'connected'; call: Call } | { type: 'ended'; callId: string };

/** The call the agent is connected to (talking or held); ringing is not connected yet. */
function connectedCall(phone: AgentPhoneState | null): Call | null {
  return phone?.call && (phone.state === 'talking' || phone.state === 'held') ? phone.call : null;
}

/** What a phone change means for the audio: in order, the end of the old call, then the start of the new one. */
export function callAudioChanges(before: AgentPhoneState | null, after: AgentPhoneState | null): CallAudioChange[] {
  const was = connectedCall(before);
  const is = connectedCall(after);
  if (was?.callId === is?.callId) return [];
  const changes: CallAudioChange[] = [];
  if (was) changes.push({ type: 'ended', callId: was.callId });
  if (is) changes.push({ type: 'connected', call: is });
  return changes;
}
