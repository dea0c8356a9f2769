import { browserAudioDevices, openBrowserSocket, type AudioDevices, type SocketFactory } from '@earshot/media-client';

/** Where a session's audio plays and listens: Web Audio and the browser's WebSocket; fakes in component tests. */
export interface AudioBackend {
  devices(): AudioDevices;
  openSocket: SocketFactory;
}

export const browserAudioBackend: AudioBackend = { devices: browserAudioDevices, openSocket: openBrowserSocket };
