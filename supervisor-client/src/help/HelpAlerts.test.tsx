// @vitest-environment happy-dom
import type { HelpRequestView } from '@earshot/shared';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { LiveAppContext } from '../live/liveAppContext';
import { fakeLiveApp } from '../testing/fakeLiveApp';
import { custom, entry, EVERY_CAPABILITY, rightsOf, session, T0 } from '../testing/fixtures';
import { HelpAlerts } from './HelpAlerts';
import { OnTheWay } from './OnTheWay';

afterEach(cleanup);

const raised: HelpRequestView = {
  helpId: 'help-1',
  agent: { id: 7, name: 'Ben Baker' },
  callId: 'call-7',
  message: 'Customer wants a refund',
  raisedAt: T0,
  acknowledgedBy: null,
  acknowledgedAt: null,
  endedAt: null,
  endReason: null,
};

it('a help request appears as an alert naming the agent, and goes once acknowledged', async () => {
  const { app, connection } = fakeLiveApp(rightsOf('manager', 3));
  connection.answer('help:ack', (p) => ({
    ok: true,
    data: { help: { ...raised, helpId: p.helpId, acknowledgedBy: { id: 3, name: 'Ava Hill' }, acknowledgedAt: T0 + 5000 } },
  }));
  render(
    <LiveAppContext.Provider value={app}>
      <HelpAlerts />
    </LiveAppContext.Provider>,
  );
  expect(screen.queryByRole('alert')).toBeNull();
  act(() => connection.push('help:update', raised));
  expect(screen.getByRole('alert').textContent).toContain('Ben Baker asks for help');
  expect(screen.getByRole('alert').textContent).toContain('Customer wants a refund');
  await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Acknowledge the help request of Ben Baker' })));
  expect(connection.sent.at(-1)).toEqual({ event: 'help:ack', payload: { helpId: 'help-1' } });
  expect(screen.queryByRole('alert')).toBeNull();
});

it("an agent's own request is not an alert to them", () => {
  const { app, connection } = fakeLiveApp(rightsOf('agent', 7));
  render(
    <LiveAppContext.Provider value={app}>
      <HelpAlerts />
    </LiveAppContext.Provider>,
  );
  act(() => connection.push('help:update', raised));
  expect(screen.queryByRole('alert')).toBeNull();
});

it('an ended request leaves the alerts; the supervisor on the way sees the message the agent adds until it ends', () => {
  const { app, connection } = fakeLiveApp(rightsOf('manager', 3));
  render(
    <LiveAppContext.Provider value={app}>
      <HelpAlerts />
      <OnTheWay />
    </LiveAppContext.Provider>,
  );
  act(() => connection.push('help:update', raised));
  act(() => connection.push('help:update', { ...raised, endedAt: T0 + 1000, endReason: 'cancelled' }));
  expect(screen.queryByRole('alert')).toBeNull();
  expect(app.help.get()).toEqual([]);

  const acked = { ...raised, helpId: 'help-2', acknowledgedBy: { id: 3, name: 'Ava Hill' }, acknowledgedAt: T0 + 2000 };
  act(() => connection.push('help:update', acked));
  act(() => connection.push('help:update', { ...acked, message: 'Now he wants the director' }));
  expect(screen.getByRole('region', { name: 'Help you are giving' }).textContent).toBe(
    'You are on the way to Ben Baker during a callNow he wants the director',
  );
  act(() => connection.push('help:update', { ...acked, endedAt: T0 + 9000, endReason: 'call-ended' }));
  expect(screen.queryByRole('region', { name: 'Help you are giving' })).toBeNull();
});

describe('Listen', () => {
  async function showHelp(rights: Parameters<typeof fakeLiveApp>[0], ben = entry(7, 'Ben Baker', 'talking')) {
    const { app, connection } = fakeLiveApp(rights);
    connection.answer('board:subscribe', () => ({
      ok: true,
      data: { seq: 1, entries: [ben], teams: [{ id: 1, name: 'Billing' }], takenOver: [], platform: EVERY_CAPABILITY, at: T0 },
    }));
    connection.answer('supervise:start', () => ({ ok: true, data: { session: session({ supervisorId: rights.userId }) } }));
    await act(() => app.board.subscribeBoard());
    render(
      <LiveAppContext.Provider value={app}>
        <HelpAlerts />
      </LiveAppContext.Provider>,
    );
    act(() => connection.push('help:update', raised));
    return connection;
  }

  it('starts a monitor on the call the agent asked for help on, for a holder of Live Monitor', async () => {
    const connection = await showHelp(rightsOf('manager', 3));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Listen to the call of Ben Baker' })));
    expect(connection.sent.at(-1)).toEqual({ event: 'supervise:start', payload: { agentId: 7, mode: 'monitor' } });
    // Now listening: not offered a second time.
    expect(screen.queryByRole('button', { name: 'Listen to the call of Ben Baker' })).toBeNull();
  });

  it('is not offered without Live Monitor, nor once the agent has left that call', async () => {
    await showHelp(custom(['phoneState.view'], 'managed', 3));
    expect(screen.getByRole('alert').textContent).toContain('Ben Baker asks for help');
    expect(screen.queryByRole('button', { name: /^Listen/ })).toBeNull();
    cleanup();
    await showHelp(rightsOf('manager', 3), entry(7, 'Ben Baker', 'wrapUp'));
    expect(screen.queryByRole('button', { name: /^Listen/ })).toBeNull();
  });
});
