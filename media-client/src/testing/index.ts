export { ScriptedMediaSocket } from './scriptedMediaSocket.js';
