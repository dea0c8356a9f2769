// @vitest-environment happy-dom
import type { AgentPhoneState, SupervisionNotice } from '@earshot/shared';
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MonitoringNotice } from './MonitoringNotice.js';
import { EVERY_CAPABILITY, fakeAgentClient } from './testing/fakeAgentClient.js';

const AT = 1_800_000_000_000;
const phone: AgentPhoneState = {
  userId: 7,
  state: 'talking',
  notReadyReason: null,
  since: AT,
  call: { callId: 'call-1', direction: 'inbound', remoteNumberMasked: '+1••••1234', queue: 'Billing', startedAt: AT, recording: 'off', supervisions: [] },
};
const notice = (patch: Partial<SupervisionNotice>): SupervisionNotice => ({
  sessionId: 'sup-1',
  callId: 'call-1',
  supervisor: { id: 3, name: 'Ava Hill' },
  mode: 'monitor',
  phase: 'started',
  reason: null,
  at: AT,
  ...patch,
});

const cards = () => document.querySelectorAll('.earshot-notice');
const politeText = () => document.querySelector('[aria-live="polite"]')!.textContent;
const assertiveText = () => document.querySelector('[aria-live="assertive"]')!.textContent;

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('MonitoringNotice', () => {
  it('shows who, which mode and since when; follows started → changed → ended; announces each', () => {
    const client = fakeAgentClient({ phone, notificationsEnabled: true }, () => AT + 65_000);
    render(<MonitoringNotice client={client} />);
    expect(cards()).toHaveLength(0);

    client.serverSupervision(notice({}));
    expect(cards()).toHaveLength(1);
    const card = screen.getByRole('article');
    expect(card.dataset.mode).toBe('monitor');
    expect(card.className).toBe('earshot-notice earshot-notice--monitor');
    expect(card.querySelector('.earshot-notice__mode')!.textContent).toBe('Monitoring');
    expect(card.querySelector('.earshot-notice__text')!.textContent).toBe('Ava Hill is listening to your call');
    expect(card.querySelector('.earshot-notice__elapsed')!.textContent).toBe('1:05');
    expect(politeText()).toBe('Ava Hill is listening to your call. Nobody hears them.');

    client.serverSupervision(notice({ phase: 'changed', mode: 'coach', at: AT + 60_000 }));
    expect(cards()).toHaveLength(1);
    expect(screen.getByRole('article').className).toBe('earshot-notice earshot-notice--coach');
    expect(screen.getByRole('article').querySelector('.earshot-notice__text')!.textContent).toBe('Ava Hill is coaching you');
    expect(screen.getByRole('article').querySelector('.earshot-notice__elapsed')!.textContent).toBe('0:05');
    expect(politeText()).toBe('Ava Hill is coaching you. Only you hear them; the customer does not.');

    client.serverSupervision(notice({ phase: 'ended', mode: 'coach', reason: 'stopped' }));
    expect(cards()).toHaveLength(0);
    expect(politeText()).toBe('Ava Hill stopped coaching you.');
  });

  it.each([
    ['after a restart, the end of a session the agent never saw end', 'server-restarted', 'Ava Hill stopped listening to your call: the server restarted.'],
    ['the end of a session whose server node failed', 'node-failed', 'Ava Hill stopped listening to your call: the server handling your call failed.'],
  ] as const)('%s is announced with why', (_case, reason, announced) => {
    const client = fakeAgentClient({ phone, notificationsEnabled: true });
    render(<MonitoringNotice client={client} />);
    client.serverSupervision(notice({}));
    client.serverSupervision(notice({ phase: 'ended', reason }));
    expect(cards()).toHaveLength(0);
    expect(politeText()).toBe(announced);
  });

  it('a take-over the phone system refused is announced as such: the agent is still on the call', () => {
    const client = fakeAgentClient({ phone, notificationsEnabled: true });
    render(<MonitoringNotice client={client} />);
    client.serverSupervision(notice({ mode: 'takeOver' }));
    client.serverSupervision(notice({ phase: 'ended', mode: 'takeOver', reason: 'platform-refused' }));
    expect(cards()).toHaveLength(0);
    expect(assertiveText()).toBe('Ava Hill could not take over your call: the phone system refused. You are still on the call.');
  });

  it('gives each mode its own look, one card per session, and announces barge and take-over assertively', () => {
    const client = fakeAgentClient({ phone, notificationsEnabled: true });
    render(<MonitoringNotice client={client} />);
    client.serverSupervision(notice({ sessionId: 'sup-1', mode: 'monitor', supervisor: { id: 3, name: 'Tara Trainer' } }));
    client.serverSupervision(notice({ sessionId: 'sup-2', mode: 'barge' }));
    expect([...cards()].map((c) => (c as HTMLElement).dataset.mode)).toEqual(['monitor', 'barge']);
    expect(assertiveText()).toBe('Ava Hill has joined your call. You and the customer both hear them.');
    client.serverSupervision(notice({ sessionId: 'sup-2', mode: 'takeOver', phase: 'changed' }));
    expect([...cards()].map((c) => c.className)).toEqual(['earshot-notice earshot-notice--monitor', 'earshot-notice earshot-notice--takeOver']);
    expect(assertiveText()).toBe('Ava Hill has taken over your call. They continue the call with the customer.');
  });

  it('announces the sessions a resync brings back that it had not shown', () => {
    const client = fakeAgentClient({ phone, notificationsEnabled: true, connection: 'reconnecting' });
    render(<MonitoringNotice client={client} />);
    client.serverResync({ phone, supervisions: [notice({ mode: 'coach' })], notificationsEnabled: true, help: null, platform: EVERY_CAPABILITY });
    expect(cards()).toHaveLength(1);
    expect(politeText()).toBe('Ava Hill is coaching you. Only you hear them; the customer does not.');
  });

  describe('OS notification', () => {
    const shown: { title: string; options: NotificationOptions }[] = [];
    let visibility: DocumentVisibilityState;
    beforeEach(() => {
      shown.length = 0;
      visibility = 'hidden';
      vi.spyOn(document, 'visibilityState', 'get').mockImplementation(() => visibility);
      vi.stubGlobal(
        'Notification',
        class {
          static permission: NotificationPermission = 'granted';
          constructor(title: string, options: NotificationOptions) {
            shown.push({ title, options });
          }
        },
      );
    });
    afterEach(() => vi.restoreAllMocks());

    it('is raised for every notice while the page is hidden, one tag per session', () => {
      const client = fakeAgentClient({ phone, notificationsEnabled: true });
      render(<MonitoringNotice client={client} />);
      client.serverSupervision(notice({}));
      client.serverSupervision(notice({ phase: 'ended', reason: 'call-ended' }));
      expect(shown).toEqual([
        { title: 'Monitoring: Ava Hill', options: { body: 'Ava Hill is listening to your call. Nobody hears them.', tag: 'earshot-sup-1' } },
        { title: 'Monitoring: Ava Hill', options: { body: 'Ava Hill stopped listening to your call.', tag: 'earshot-sup-1' } },
      ]);
    });

    it('is not raised while the page is visible, nor without the permission, nor when turned off', () => {
      const client = fakeAgentClient({ phone, notificationsEnabled: true });
      const { rerender } = render(<MonitoringNotice client={client} />);
      visibility = 'visible';
      client.serverSupervision(notice({ sessionId: 'sup-1' }));
      visibility = 'hidden';
      (Notification as unknown as { permission: NotificationPermission }).permission = 'default';
      client.serverSupervision(notice({ sessionId: 'sup-2' }));
      (Notification as unknown as { permission: NotificationPermission }).permission = 'granted';
      rerender(<MonitoringNotice client={client} osNotifications={false} />);
      client.serverSupervision(notice({ sessionId: 'sup-3' }));
      expect(shown).toEqual([]);
      expect(cards()).toHaveLength(3);
    });
  });
});
