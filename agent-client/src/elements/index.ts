/**
 * @earshot/agent-client/elements: the plugin for pages that are not React. Custom elements
 * (`<earshot-agent-notice>` and friends, after `defineAgentElements()`) or `mount(element, { client })`.
 * React and react-dom are peer dependencies here; the one-script build (`dist/earshot-agent.js`) bundles
 * them for pages without a bundler.
 */
export {
  ALL_PARTS,
  defineAgentElements,
  ELEMENT_PARTS,
  mount,
  type EarshotPluginElement,
  type ElementName,
  type MountedPanel,
  type PanelOptions,
  type PluginClient,
  type PluginPart,
} from './agentElements.js';
