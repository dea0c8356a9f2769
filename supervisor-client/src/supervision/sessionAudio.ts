import type { SupervisionMode } from '@earshot/shared';
import { LiveCallAudio } from '@earshot/media-client';
import type { LiveApp } from '../live/liveSession';

/** The supervisor speaks in these modes only: a monitor's microphone reaches nobody, so it is not even opened. */
export function speaksIn(mode: SupervisionMode): boolean {
  return mode !== 'monitor';
}

/**
 * The audio of one of the supervisor's sessions (media README: `media:token { sessionId }`, `sends:
 * 'supervisor'`): the customer and the agent played and mixed, and the microphone as the supervisor track
 * when the mode speaks. Started at once; the caller closes it when the session leaves the screen.
 */
export function startSessionAudio(app: Pick<LiveApp, 'connection' | 'audio'>, sessionId: string, mode: SupervisionMode): LiveCallAudio {
  const audio = new LiveCallAudio({
    serverUrl: window.location.origin,
    sends: 'supervisor',
    sendMicrophone: speaksIn(mode),
    devices: app.audio.devices(),
    openSocket: app.audio.openSocket,
    mediaToken: async () => {
      const ack = await app.connection.request('media:token', { sessionId });
      // The refusal as sent (its code says whether asking again can help).
      if (!ack.ok) throw ack.error;
      return ack.data;
    },
  });
  audio.start();
  return audio;
}
