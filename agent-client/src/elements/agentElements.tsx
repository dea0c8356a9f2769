import type { ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { HelpButton, type HelpButtonProps } from '../react/HelpButton.js';
import { MonitoringHistoryButton, type MonitoringHistoryButtonProps } from '../react/MonitoringHistoryButton.js';
import { MonitoringNotice, type MonitoringNoticeProps } from '../react/MonitoringNotice.js';
import { RecordingIndicator, type RecordingIndicatorProps } from '../react/RecordingIndicator.js';
import { adoptPluginStyles } from './pluginStyles.js';

/** What the elements need of the SDK client: `createAgentClient(...)` returns one. */
export type PluginClient = MonitoringNoticeProps['client'] &
  RecordingIndicatorProps['client'] &
  HelpButtonProps['client'] &
  MonitoringHistoryButtonProps['client'];

/** The parts a panel can show, in this order. */
export type PluginPart = 'notice' | 'recording' | 'help' | 'history';
export const ALL_PARTS: readonly PluginPart[] = ['notice', 'recording', 'help', 'history'];

export interface PanelOptions {
  /** Which parts to show; all of them by default. */
  parts?: readonly PluginPart[];
  /** Raise an OS notification for a notice while the page is hidden. Default true. */
  osNotifications?: boolean;
}

/** The React tree of a panel: the same components a React host uses. */
export function panelView(client: PluginClient, { parts = ALL_PARTS, osNotifications = true }: PanelOptions = {}): ReactNode {
  return (
    <>
      {parts.includes('notice') && <MonitoringNotice client={client} osNotifications={osNotifications} />}
      {parts.includes('recording') && <RecordingIndicator client={client} />}
      {parts.includes('help') && <HelpButton client={client} />}
      {parts.includes('history') && <MonitoringHistoryButton client={client} />}
    </>
  );
}

export interface MountedPanel {
  /** Shows the panel for another client (after a new login), or with other options. */
  update(client: PluginClient, options?: PanelOptions): void;
  /** Removes what was rendered; the client stays open (close it with `client.close()`). */
  unmount(): void;
}

/**
 * Renders the plugin into any element of a page that is not React: `mount(element, { client })`. The
 * element's own content is replaced; the styles are added to the page once.
 */
export function mount(element: Element, options: PanelOptions & { client: PluginClient }): MountedPanel {
  adoptPluginStyles(element);
  const root = createRoot(element);
  const render = (client: PluginClient, o: PanelOptions) => root.render(panelView(client, o));
  render(options.client, options);
  return { update: (client, o = {}) => render(client, o), unmount: () => root.unmount() };
}

/** The custom elements and the parts each shows. */
export const ELEMENT_PARTS = {
  'earshot-agent-notice': ['notice'],
  'earshot-recording-indicator': ['recording'],
  'earshot-help-button': ['help'],
  'earshot-monitoring-history': ['history'],
  'earshot-agent-panel': ALL_PARTS,
} as const satisfies Record<string, readonly PluginPart[]>;
export type ElementName = keyof typeof ELEMENT_PARTS;

/** What each element adds to HTMLElement: its client, set as a property (an object cannot be an attribute). */
export interface EarshotPluginElement extends HTMLElement {
  client: PluginClient | null;
}

/**
 * Defines `<earshot-agent-notice>`, `<earshot-recording-indicator>`, `<earshot-help-button>`,
 * `<earshot-monitoring-history>` ("Who listened to my calls", for holders of Live Monitoring Notifications)
 * and `<earshot-agent-panel>` (all of them). Each shows nothing until its `client` property is set. The
 * attribute `os-notifications="off"` turns the notice's OS notifications off. Defining twice does
 * nothing; the classes are made here, not at import, so importing this module outside a browser is safe.
 */
export function defineAgentElements(registry: CustomElementRegistry = customElements): void {
  for (const [name, parts] of Object.entries(ELEMENT_PARTS)) {
    if (registry.get(name)) continue;
    registry.define(name, pluginElementClass(parts));
  }
}

function pluginElementClass(parts: readonly PluginPart[]): CustomElementConstructor {
  return class extends HTMLElement implements EarshotPluginElement {
    static observedAttributes = ['os-notifications'];
    private current: PluginClient | null = null;
    private root: Root | null = null;

    get client(): PluginClient | null {
      return this.current;
    }

    set client(client: PluginClient | null) {
      this.current = client;
      this.render();
    }

    connectedCallback(): void {
      adoptPluginStyles(this);
      this.root ??= createRoot(this);
      this.render();
    }

    disconnectedCallback(): void {
      // Unmounted after the current task: a React render may be under way in this one.
      const root = this.root;
      this.root = null;
      queueMicrotask(() => root?.unmount());
    }

    attributeChangedCallback(): void {
      this.render();
    }

    private render(): void {
      if (!this.root) return;
      const osNotifications = this.getAttribute('os-notifications') !== 'off';
      this.root.render(this.current ? panelView(this.current, { parts, osNotifications }) : null);
    }
  };
}
