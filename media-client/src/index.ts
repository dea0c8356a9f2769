/**
 * @earshot/media-client: call audio in the browser over the media plane (Web Audio, getUserMedia, one
 * WebSocket of binary frames), shared by the agent's plugin and the supervisor app. `LiveCallAudio` is
 * one listener's audio on one call or session; the agent plugin wraps it as the SDK's `CallAudio`
 * (`BrowserCallAudio` in `@earshot/agent-client/audio`).
 */
export type { AudioDevices, MediaSocket, MediaSocketEvents, Microphone, SocketFactory, Speaker } from './audioDevices.js';
export { browserAudioDevices, type BrowserAudioOptions } from './browserAudio.js';
export { openBrowserSocket } from './browserSocket.js';
export { JitterBuffer, seqDistance, type JitterBufferCounts, type JitterBufferOptions } from './jitterBuffer.js';
export { LevelMeter, levelText, meterFraction } from './levelMeter.js';
export {
  LiveCallAudio,
  PUBLISH_EVERY_MS,
  type LinkStatus,
  type LiveAudioState,
  type LiveCallAudioOptions,
  type MicStatus,
  type TrackCounts,
} from './liveCallAudio.js';
export { closeOutcome, mediaSocketUrl, RETRY_DELAYS_MS, tokenRefusal, type CloseOutcome } from './mediaLinkPolicy.js';
export { MicFrames } from './micFrames.js';
export { INSECURE_PAGE, microphoneProblem, type MicrophoneProblem } from './microphoneProblem.js';
export { PlayoutMixer, type PlayoutOptions, type PlayoutStats } from './playoutMixer.js';
