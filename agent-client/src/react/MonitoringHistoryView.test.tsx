// @vitest-environment happy-dom
import type { MeRights, MonitoringHistory } from '@earshot/shared';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentClientError } from '../sdk/agentClientError.js';
import { MonitoringHistoryButton } from './MonitoringHistoryButton.js';
import { MonitoringHistoryView } from './MonitoringHistoryView.js';
import { fakeAgentClient } from './testing/fakeAgentClient.js';
import { formatDateTime } from './timeText.js';

const AT = 1_800_000_000_000;
const CALL_AT = AT - 90_000;
const history: MonitoringHistory = {
  since: AT - 30 * 24 * 3600 * 1000,
  entries: [
    { supervisor: 'Tom Trainer', modes: ['monitor'], startedAt: AT, endedAt: null, durationMs: null, endReason: null, call: null },
    {
      supervisor: 'Ava Hill',
      modes: ['monitor', 'coach', 'takeOver'],
      startedAt: AT - 80_000,
      endedAt: AT - 5_000,
      durationMs: 75_000,
      endReason: 'stopped',
      call: { queue: 'Billing', number: '+1••••••4567', startedAt: CALL_AT },
    },
  ],
};
const rightsWith = (rights: MeRights['rights']): MeRights => ({ userId: 7, profileId: 1, profileName: 'Agent', rights, scope: 'own' });

/** Each entry as the agent reads it: who and the modes, then each label and its value. */
const entriesShown = () =>
  screen
    .getAllByRole('listitem')
    .map((item) => [
      item.querySelector('.earshot-history__who')!.textContent,
      ...[...item.querySelectorAll('dt')].map((dt) => `${dt.textContent}: ${dt.nextElementSibling!.textContent}`),
    ]);

afterEach(cleanup);

describe('MonitoringHistoryView', () => {
  it('says it is loading, then lists each supervision: who, modes in words, when, how long, the call as people know it', async () => {
    let answer!: (h: MonitoringHistory) => void;
    const client = fakeAgentClient({});
    client.monitoringHistory.mockImplementationOnce(() => new Promise((resolve) => (answer = resolve)));
    render(<MonitoringHistoryView client={client} />);
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('Who listened to my calls');
    expect(screen.getByRole('status').textContent).toBe('Loading who listened to your calls…');
    await act(async () => answer(history));

    expect(screen.getByRole('status').textContent).toBe('');
    expect(screen.getByRole('list', { name: 'Who listened to my calls' })).toBeTruthy();
    expect(entriesShown()).toEqual([
      ['Tom TrainerMonitoring', `When: ${formatDateTime(AT)}`, 'How long: Still going on, or its end was not recorded', 'Call: Not described in the log'],
      [
        'Ava HillMonitoring, then coaching, then take over',
        `When: ${formatDateTime(AT - 80_000)}`,
        'How long: 1 minute 15 seconds',
        `Call: Billing call, +1••••••4567, ${formatDateTime(CALL_AT)}`,
      ],
    ]);
    expect(client.monitoringHistory).toHaveBeenCalledTimes(1);
  });

  it('an empty history is a sentence', async () => {
    const client = fakeAgentClient({});
    await act(async () => void render(<MonitoringHistoryView client={client} />));
    expect(screen.getByRole('status').textContent).toBe('Nobody listened to your calls in the last 30 days.');
    expect(screen.queryByRole('list')).toBeNull();
  });

  it('a failure is a sentence with Try again, which reads the history again', async () => {
    const client = fakeAgentClient({});
    client.monitoringHistory.mockRejectedValueOnce(
      new AgentClientError('DISCONNECTED', 'monitoring:history was not sent: not connected to the server (reconnecting)'),
    );
    await act(async () => void render(<MonitoringHistoryView client={client} />));
    expect(screen.getByRole('alert').textContent).toBe('Earshot could not be reached. Try again once the connection is back.');
    client.monitoringHistory.mockResolvedValueOnce(history);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Try again' })));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getAllByRole('listitem')).toHaveLength(2);
    expect(client.monitoringHistory).toHaveBeenCalledTimes(2);
  });

  it('the server’s FORBIDDEN and other refusals are sentences too', async () => {
    const client = fakeAgentClient({});
    client.monitoringHistory.mockRejectedValueOnce(
      new AgentClientError('FORBIDDEN', 'Your profile (Agent) does not hold Live Monitoring Notifications (live.notifications)'),
    );
    await act(async () => void render(<MonitoringHistoryView client={client} />));
    expect(screen.getByRole('alert').textContent).toBe('Your profile does not hold Live Monitoring Notifications, so your monitoring history is not shown.');
    cleanup();
    client.monitoringHistory.mockRejectedValueOnce(new AgentClientError('RATE_LIMITED', 'Too many requests; try again in 3 s', 3));
    await act(async () => void render(<MonitoringHistoryView client={client} />));
    expect(screen.getByRole('alert').textContent).toBe('Your monitoring history could not be read: Too many requests; try again in 3 s');
  });
});

describe('MonitoringHistoryButton', () => {
  it('shows nothing without Live Monitoring Notifications, and appears when the right comes', () => {
    const client = fakeAgentClient({ rights: rightsWith(['calls.handle']) });
    const { container } = render(<MonitoringHistoryButton client={client} />);
    expect(container.innerHTML).toBe('');
    client.serverSetState({ rights: rightsWith(['calls.handle', 'live.notifications']) });
    expect(screen.getByRole('button', { name: 'Who listened to my calls' }).getAttribute('aria-haspopup')).toBe('dialog');
    client.serverSetState({ rights: rightsWith(['calls.handle']) });
    expect(container.innerHTML).toBe('');
    expect(client.monitoringHistory).not.toHaveBeenCalled();
  });

  it('opens the history in a modal dialog with the focus on Close; closing gives the focus back to the button', async () => {
    const client = fakeAgentClient({ rights: rightsWith(['calls.handle', 'live.notifications']) });
    client.monitoringHistory.mockResolvedValueOnce(history);
    render(<MonitoringHistoryButton client={client} />);
    const opener = screen.getByRole('button', { name: 'Who listened to my calls' });
    await act(async () => fireEvent.click(opener));
    const dialog = document.querySelector('dialog')!;
    expect(dialog.open).toBe(true);
    expect(dialog.getAttribute('aria-label')).toBe('Who listened to my calls');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Close' }));
    expect(screen.getAllByRole('listitem')).toHaveLength(2);

    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Close' })));
    expect(document.querySelector('dialog')).toBeNull();
    expect(document.activeElement).toBe(opener);
    // Opened again, it reads the history afresh.
    await act(async () => fireEvent.click(opener));
    expect(client.monitoringHistory).toHaveBeenCalledTimes(2);
  });
});
