// @vitest-environment happy-dom
import type { BoardSnapshot, MeRights } from '@earshot/shared';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { LiveAppContext } from '../live/liveAppContext';
import { fakeLiveApp } from '../testing/fakeLiveApp';
import { call, entry, EVERY_CAPABILITY, rightsOf, session, T0, withoutRight } from '../testing/fixtures';
import { BoardPage } from './BoardPage';

afterEach(cleanup);

const snapshot: BoardSnapshot = {
  seq: 0,
  entries: [
    entry(7, 'Ben Baker', 'talking', { call: call({ callId: 'call-7', queue: 'Billing' }) }),
    entry(8, 'Chloe Cruz', 'available'),
    entry(9, 'Dev Diaz', 'notReady', { notReadyReason: 'Lunch' }),
  ],
  teams: [{ id: 1, name: 'Billing' }],
  takenOver: [],
  platform: EVERY_CAPABILITY,
  at: T0,
};

async function renderBoard(rights: MeRights, board: BoardSnapshot = snapshot) {
  const { app, connection } = fakeLiveApp(rights);
  connection.answer('board:subscribe', () => ({ ok: true, data: board }));
  await act(() => app.board.subscribeBoard());
  render(
    <LiveAppContext.Provider value={app}>
      <BoardPage />
    </LiveAppContext.Provider>,
  );
  return { app, connection };
}

const pick = (name: string) => fireEvent.click(screen.getByRole('button', { name }));
const controlNames = () =>
  within(screen.getByRole('complementary', { name: /^Agent / }))
    .queryAllByRole('button')
    .map((b) => b.textContent);

describe('the live board', () => {
  it('shows the agents with their states and the counts per state', async () => {
    await renderBoard(rightsOf('manager'));
    const rows = within(screen.getByRole('table', { name: 'Live board' }))
      .getAllByRole('row')
      .slice(1);
    // Wallboard order: available, then talking, then not ready.
    expect(rows.map((r) => within(r).getByRole('rowheader').textContent)).toEqual(['Chloe Cruz', 'Ben Baker', 'Dev Diaz']);
    expect(screen.getByRole('button', { name: '1 Talking' }).getAttribute('aria-pressed')).toBe('false');
    expect(screen.getByRole('button', { name: '3 All agents' }).getAttribute('aria-pressed')).toBe('true');
    expect(screen.getByText('Not ready: Lunch')).toBeTruthy();
  });

  it('a state tile filters the board to that state', async () => {
    await renderBoard(rightsOf('manager'));
    fireEvent.click(screen.getByRole('button', { name: '1 Talking' }));
    const rows = within(screen.getByRole('table', { name: 'Live board' }))
      .getAllByRole('row')
      .slice(1);
    expect(rows.map((r) => within(r).getByRole('rowheader').textContent)).toEqual(['Ben Baker']);
  });

  it('a board delta with the recording failed (the server could not write it) shows it in the row and the panel, and offers Record again', async () => {
    const { connection } = await renderBoard(rightsOf('manager'));
    const benRow = () =>
      within(screen.getByRole('table', { name: 'Live board' }))
        .getByRole('rowheader', { name: 'Ben Baker' })
        .closest('tr')!;
    expect(within(benRow()).getByText('Off')).toBeTruthy();
    act(() =>
      connection.push('board:delta', {
        seq: 1,
        entry: entry(7, 'Ben Baker', 'talking', { call: call({ callId: 'call-7', queue: 'Billing', recording: 'failed' }) }),
        at: T0,
      }),
    );
    expect(within(benRow()).getByText('Recording failed').className).toBe('rec rec-failed');
    pick('Ben Baker');
    const panel = screen.getByRole('complementary', { name: /^Agent / });
    expect(within(panel).getByText('Recording failed')).toBeTruthy();
    expect(controlNames()).toEqual(['Monitor', 'Coach', 'Barge', 'Record']);
  });

  it('a Manager picking an agent on a call gets Monitor, Coach, Barge and Record, no Take over', async () => {
    await renderBoard(rightsOf('manager'));
    pick('Ben Baker');
    expect(controlNames()).toEqual(['Monitor', 'Coach', 'Barge', 'Record']);
  });

  it('on a telephony platform without take over and recording, an Administrator is offered neither, and told why', async () => {
    await renderBoard(rightsOf('administrator'), {
      ...snapshot,
      platform: { name: 'pbx', modes: ['monitor', 'coach', 'barge'], recording: false, agentControls: [] },
    });
    pick('Ben Baker');
    expect(controlNames()).toEqual(['Monitor', 'Coach', 'Barge']);
    expect(screen.getByTestId('platform-note').textContent).toBe('Take over and Recording are not offered: the telephony platform (pbx) does not carry them');
  });

  it('a user with the Agent profile gets no Monitor control', async () => {
    await renderBoard(rightsOf('agent', 7));
    pick('Ben Baker');
    expect(controlNames()).toEqual(['Record']);
  });

  it('me:rights without Barge removes the Barge control at once, without a reload', async () => {
    const { connection } = await renderBoard(rightsOf('manager'));
    pick('Ben Baker');
    expect(controlNames()).toContain('Barge');
    act(() => connection.push('me:rights', withoutRight(rightsOf('manager'), 'live.barge')));
    expect(controlNames()).toEqual(['Monitor', 'Coach', 'Record']);
  });

  it('Monitor starts a session on the picked agent', async () => {
    const { app, connection } = await renderBoard(rightsOf('manager'));
    connection.answer('supervise:start', (p) => ({ ok: true, data: { session: session({ agentId: p.agentId, mode: p.mode, callId: 'call-7' }) } }));
    pick('Ben Baker');
    await act(async () => pick('Monitor'));
    expect(connection.sent.at(-1)).toEqual({ event: 'supervise:start', payload: { agentId: 7, mode: 'monitor' } });
    expect(app.supervision.get().active.map((s) => [s.agentId, s.mode])).toEqual([[7, 'monitor']]);
  });

  it('a refusal from the server is shown with its message', async () => {
    const { connection } = await renderBoard(rightsOf('manager'));
    connection.answer('supervise:start', () => ({
      ok: false,
      error: { code: 'CONFLICT', message: 'Tara Trainer (coach) already holds this call: one supervisor at a time may coach, barge or take over' },
    }));
    pick('Ben Baker');
    await act(async () => pick('Coach'));
    expect(screen.getByRole('alert').textContent).toContain(
      'Tara Trainer (coach) already holds this call: one supervisor at a time may coach, barge or take over',
    );
  });

  it('a delta moves the agent; a gap asks for a fresh snapshot', async () => {
    const { connection } = await renderBoard(rightsOf('manager'));
    act(() => connection.push('board:delta', { seq: 1, entry: entry(8, 'Chloe Cruz', 'ringing'), at: T0 }));
    expect(screen.getByRole('button', { name: '1 Ringing' })).toBeTruthy();
    const before = connection.sentEvents().filter((e) => e === 'board:subscribe').length;
    await act(async () => connection.push('board:delta', { seq: 3, entry: entry(8, 'Chloe Cruz', 'talking'), at: T0 }));
    expect(connection.sentEvents().filter((e) => e === 'board:subscribe').length).toBe(before + 1);
  });

  it('a pushed snapshot (the scope changed) replaces the board at once, without asking', async () => {
    const { connection } = await renderBoard(rightsOf('manager'));
    const before = connection.sentEvents().filter((e) => e === 'board:subscribe').length;
    act(() =>
      connection.push('board:snapshot', {
        ...snapshot,
        seq: 12,
        entries: [entry(8, 'Chloe Cruz', 'available'), entry(10, 'Eve Evans', 'wrapUp')],
      }),
    );
    const rows = within(screen.getByRole('table', { name: 'Live board' }))
      .getAllByRole('row')
      .slice(1);
    expect(rows.map((r) => within(r).getByRole('rowheader').textContent)).toEqual(['Chloe Cruz', 'Eve Evans']);
    expect(screen.getByRole('button', { name: '2 All agents' })).toBeTruthy();
    // The next delta follows the pushed board's seq.
    act(() => connection.push('board:delta', { seq: 13, entry: entry(10, 'Eve Evans', 'available'), at: T0 }));
    expect(screen.getByRole('button', { name: '2 Available' })).toBeTruthy();
    expect(connection.sentEvents().filter((e) => e === 'board:subscribe').length).toBe(before);
  });
});
