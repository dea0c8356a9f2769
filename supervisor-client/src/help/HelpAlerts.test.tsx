// @vitest-environment happy-dom
import type { HelpRequestView } from '@earshot/shared';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, expect, it } from 'vitest';
import { LiveAppContext } from '../live/liveAppContext';
import { fakeLiveApp } from '../testing/fakeLiveApp';
import { rightsOf, T0 } from '../testing/fixtures';
import { HelpAlerts } from './HelpAlerts';
import { OnTheWay } from './OnTheWay';

afterEach(cleanup);

const raised: HelpRequestView = {
  helpId: 'help-1', agent: { id: 7, name: 'Ben Baker' }, callId: 'call-7', message: 'Customer wants a refund', raisedAt: T0,
  acknowledgedBy: null, acknowledgedAt: null, endedAt: null, endReason: null,
};

it('a help request appears as an alert naming the agent, and goes once acknowledged', async () => {
  const { app, connection } = fakeLiveApp(rightsOf('manager', 3));
  connection.answer('help:ack', (p) => ({ ok: true, data: { help: { ...raised, helpId: p.helpId, acknowledgedBy: { id: 3, name: 'Ava Hill' }, acknowledgedAt: T0 + 5000 } } }));
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
  expect(screen.getByRole('region', { name: 'Help you are giving' }).textContent).toBe('You are on the way to Ben Baker during a callNow he wants the director');
  act(() => connection.push('help:update', { ...acked, endedAt: T0 + 9000, endReason: 'call-ended' }));
  expect(screen.queryByRole('region', { name: 'Help you are giving' })).toBeNull();
});
