/**
 * @earshot/agent-client/audio: the agent's call audio in a browser or an Electron renderer.
 * `BrowserCallAudio` is the SDK's `CallAudio`; the engine under it (`LiveCallAudio`, levels, the media
 * link's rules) is `@earshot/media-client`, re-exported here so a plugin host needs one package. The SDK
 * itself (`@earshot/agent-client`) does not import this: it runs in Node without audio.
 */
export { BrowserCallAudio, type BrowserCallAudioOptions } from './browserCallAudio.js';
export * from '@earshot/media-client';
