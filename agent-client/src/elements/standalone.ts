/**
 * The one-script build (`dist/earshot-agent.js`, global `EarshotAgent`): the SDK, the audio and the
 * elements with React inside, for a page that loads it with a `<script>` tag. Loading it defines the
 * custom elements.
 */
import './zodWithoutEval.js';
import { BrowserCallAudio as BundledCallAudio, type BrowserCallAudioOptions } from '../audio/browserCallAudio.js';
import { askForNotifications, canAskForNotifications } from '../react/osNotification.js';
import { describeNotice } from '../react/noticeText.js';
import { AgentClientError, createAgentClient, login, logout } from '../sdk/index.js';
import { ALL_PARTS, defineAgentElements, mount } from './agentElements.js';

/** The script's own address, read while it runs: the worklet ships beside it. */
const scriptUrl = document.currentScript instanceof HTMLScriptElement ? document.currentScript.src : location.href;

/** `BrowserCallAudio` whose worklet is `media-worklet.js` beside this script unless `workletUrl` says otherwise. */
class BrowserCallAudio extends BundledCallAudio {
  constructor(options: BrowserCallAudioOptions = {}) {
    super({ workletUrl: new URL('media-worklet.js', scriptUrl), ...options });
  }
}

defineAgentElements();

export {
  ALL_PARTS,
  AgentClientError,
  askForNotifications,
  BrowserCallAudio,
  canAskForNotifications,
  createAgentClient,
  defineAgentElements,
  describeNotice,
  login,
  logout,
  mount,
};
