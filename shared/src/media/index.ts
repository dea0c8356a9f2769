export * from './constants.js';
export * from './frame.js';
export * from './pcm.js';
export * from '../messages/media.js';
