import { browserAudioDevices, openBrowserSocket, type AudioDevices, type SocketFactory } from '@earshot/agent-client/audio';

/** Where a session's audio plays and listens: Web Audio and the browser's WebSocket; fakes in component tests. */
export interface AudioBackend {
  devices(): AudioDevices;
  openSocket: SocketFactory;
}

export const browserAudioBackend: AudioBackend = { devices: browserAudioDevices, openSocket: openBrowserSocket };
