/**
 * @earshot/agent-client/audio: call audio in the browser over the media plane (Web Audio, getUserMedia,
 * one WebSocket of binary frames). `BrowserCallAudio` is the SDK's `CallAudio` for the agent's plugin;
 * `LiveCallAudio` is one listener's audio for any page (the supervisor app uses it for its sessions). The
 * SDK itself (`@earshot/agent-client`) does not import this: it runs in Node without audio.
 */
export type { AudioDevices, MediaSocket, MediaSocketEvents, Microphone, SocketFactory, Speaker } from './audioDevices.js';
export { browserAudioDevices } from './browserAudio.js';
export { BrowserCallAudio, type BrowserCallAudioOptions } from './browserCallAudio.js';
export { openBrowserSocket } from './browserSocket.js';
export { JitterBuffer, seqDistance, type JitterBufferCounts, type JitterBufferOptions } from './jitterBuffer.js';
export { LevelMeter, levelText, meterFraction } from './levelMeter.js';
export {
  LiveCallAudio, PUBLISH_EVERY_MS, type LinkStatus, type LiveAudioState, type LiveCallAudioOptions, type MicStatus, type TrackCounts,
} from './liveCallAudio.js';
export { closeOutcome, mediaSocketUrl, RETRY_DELAYS_MS, tokenRefusal, type CloseOutcome } from './mediaLinkPolicy.js';
export { MicFrames } from './micFrames.js';
export { INSECURE_PAGE, microphoneProblem, type MicrophoneProblem } from './microphoneProblem.js';
export { PlayoutMixer, type PlayoutOptions, type PlayoutStats } from './playoutMixer.js';
