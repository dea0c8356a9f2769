// @vitest-environment happy-dom
import type { AgentPhoneState, SupervisionNotice } from '@earshot/shared';
import { act } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeAgentClient } from '../react/testing/fakeAgentClient.js';
import { defineAgentElements, mount, type EarshotPluginElement } from './agentElements.js';

const AT = 1_800_000_000_000;
const phone: AgentPhoneState = {
  userId: 7,
  state: 'talking',
  notReadyReason: null,
  since: AT,
  call: { callId: 'call-1', direction: 'inbound', remoteNumberMasked: '+1••••1234', queue: 'Billing', startedAt: AT, recording: 'on', supervisions: [] },
};
const monitor: SupervisionNotice = {
  sessionId: 'sup-1',
  callId: 'call-1',
  supervisor: { id: 3, name: 'Ava Hill' },
  mode: 'monitor',
  phase: 'started',
  reason: null,
  at: AT,
};

afterEach(() => {
  document.body.innerHTML = '';
  document.head.innerHTML = '';
});

async function flush() {
  await act(async () => {});
}

describe('the custom elements', () => {
  it('<earshot-agent-notice> shows nothing until its client is set, then the notice; it follows the client', async () => {
    defineAgentElements();
    defineAgentElements(); // a second definition is a no-op, not a DOMException
    const element = document.createElement('earshot-agent-notice') as EarshotPluginElement;
    document.body.append(element);
    await flush();
    expect(element.querySelector('.earshot-notices')).toBeNull();

    const client = fakeAgentClient({ phone, notificationsEnabled: true }, () => AT + 5_000);
    await act(async () => {
      element.client = client;
    });
    expect(element.querySelectorAll('.earshot-notice')).toHaveLength(0);
    client.serverSupervision(monitor);
    expect(element.querySelector('.earshot-notice__text')!.textContent).toBe('Ava Hill is listening to your call');
    expect(element.querySelector('.earshot-recording')).toBeNull(); // the notice element shows the notice only
    // The stylesheet is added to the document once, however many elements there are (its text, which the
    // test runner leaves empty, is checked in the browser: test/e2e/pluginPlainHtml.test.ts).
    document.body.append(document.createElement('earshot-help-button'));
    await flush();
    expect(document.head.querySelectorAll('style[data-earshot-plugin]')).toHaveLength(1);

    client.serverSupervision({ ...monitor, phase: 'ended', reason: 'stopped' });
    expect(element.querySelectorAll('.earshot-notice')).toHaveLength(0);
  });

  it('<earshot-agent-panel> shows the notice, the recording state and the help button', async () => {
    defineAgentElements();
    const client = fakeAgentClient({
      phone,
      notificationsEnabled: true,
      supervisions: [monitor],
      rights: { userId: 7, profileId: 4, profileName: 'Agent', rights: ['calls.handle'], teamIds: [] } as never,
    });
    const panel = document.createElement('earshot-agent-panel') as EarshotPluginElement;
    panel.client = client;
    await act(async () => {
      document.body.append(panel);
    });
    expect(panel.querySelector('.earshot-notice__text')!.textContent).toBe('Ava Hill is listening to your call');
    expect(panel.querySelector('.earshot-recording')!.getAttribute('data-state')).toBe('on');
    expect(panel.querySelector('.earshot-help button')!.textContent).toBe('Ask for help');
  });

  it('<earshot-monitoring-history> offers "Who listened to my calls" to holders of Live Monitoring Notifications only, and opens it', async () => {
    defineAgentElements();
    const rights = (list: string[]) => ({ userId: 7, profileId: 4, profileName: 'Agent', rights: list, scope: 'own' }) as never;
    const client = fakeAgentClient({ phone, rights: rights(['calls.handle']) });
    client.monitoringHistory.mockResolvedValue({
      since: AT - 1,
      entries: [{ supervisor: 'Ava Hill', modes: ['coach'], startedAt: AT, endedAt: AT + 1000, durationMs: 1000, endReason: 'stopped', call: null }],
    });
    const element = document.createElement('earshot-monitoring-history') as EarshotPluginElement;
    element.client = client;
    await act(async () => {
      document.body.append(element);
    });
    expect(element.innerHTML).toBe('');
    client.serverSetState({ rights: rights(['calls.handle', 'live.notifications']) });
    const button = element.querySelector('button')!;
    expect(button.textContent).toBe('Who listened to my calls');
    await act(async () => button.click());
    expect(element.querySelector('dialog')!.open).toBe(true);
    expect(element.querySelector('.earshot-history__who')!.textContent).toBe('Ava HillCoaching');
    expect(element.querySelector('.earshot-notice')).toBeNull(); // this element shows the history only

    // The panel, with every part, offers it too.
    const panel = document.createElement('earshot-agent-panel') as EarshotPluginElement;
    panel.client = client;
    await act(async () => {
      document.body.append(panel);
    });
    expect(panel.querySelector('.earshot-history-button')!.textContent).toBe('Who listened to my calls');
  });
});

describe('mount', () => {
  it('renders the chosen parts into any element, updates to a new client, and unmounts', async () => {
    const host = document.createElement('div');
    host.textContent = 'placeholder';
    document.body.append(host);
    const first = fakeAgentClient({ phone, notificationsEnabled: true, supervisions: [monitor] });
    let panel!: ReturnType<typeof mount>;
    await act(async () => {
      panel = mount(host, { client: first, parts: ['notice'] });
    });
    expect(host.querySelector('.earshot-notice__text')!.textContent).toBe('Ava Hill is listening to your call');
    expect(host.querySelector('.earshot-recording')).toBeNull();
    expect(host.textContent).not.toContain('placeholder');

    const second = fakeAgentClient({ phone, notificationsEnabled: true, supervisions: [{ ...monitor, mode: 'coach' }] });
    await act(async () => panel.update(second, { parts: ['notice', 'recording'] }));
    expect(host.querySelector('.earshot-notice__text')!.textContent).toBe('Ava Hill is coaching you');
    expect(host.querySelector('.earshot-recording')).not.toBeNull();

    await act(async () => panel.unmount());
    expect(host.innerHTML).toBe('');
  });
});
