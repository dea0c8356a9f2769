// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { LiveAppContext } from '../live/liveAppContext';
import { fakeLiveApp } from '../testing/fakeLiveApp';
import { rightsOf, session, T0, trainerRights, withoutRight } from '../testing/fixtures';
import type { MeRights, PlatformCapabilities, SupervisionSessionView } from '@earshot/shared';
import { SessionDock } from './SessionDock';

afterEach(cleanup);

async function renderDock(rights: MeRights, active: SupervisionSessionView) {
  const { app, connection } = fakeLiveApp(rights);
  connection.answer('supervise:mine', () => ({ ok: true, data: { sessions: [active] } }));
  await act(() => app.supervision.refresh());
  render(
    <LiveAppContext.Provider value={app}>
      <SessionDock />
    </LiveAppContext.Provider>,
  );
  return { app, connection };
}

const card = () => screen.getByRole('article', { name: 'Session with Ben Baker' });
/** The session's controls, not its audio panel's (AudioPanel.test.tsx). */
const buttons = () =>
  within(card())
    .getAllByRole('button')
    .filter((b) => !b.closest('[aria-label="Call audio"]'))
    .map((b) => b.textContent);

describe('the session panel', () => {
  it('shows the mode, a switch to each other mode the profile holds, and stop', async () => {
    await renderDock(rightsOf('manager'), session({ mode: 'monitor' }));
    expect(within(card()).getByTestId('session-mode').textContent).toBe('Monitor');
    expect(buttons()).toEqual(['Coach', 'Barge', 'Stop']);
  });

  it('a Trainer coaching can go back to Monitor, never on to Barge', async () => {
    await renderDock(trainerRights(), session({ mode: 'coach' }));
    expect(buttons()).toEqual(['Monitor', 'Stop']);
  });

  it('switching sends supervise:mode and shows the new mode', async () => {
    const { connection } = await renderDock(rightsOf('manager'), session({ mode: 'monitor' }));
    connection.answer('supervise:mode', (p) => ({ ok: true, data: { session: session({ mode: p.mode }) } }));
    await act(async () => fireEvent.click(within(card()).getByRole('button', { name: 'Coach' })));
    expect(connection.sent.at(-1)).toEqual({ event: 'supervise:mode', payload: { sessionId: 'sup-1', mode: 'coach' } });
    expect(within(card()).getByTestId('session-mode').textContent).toBe('Coach');
    expect(buttons()).toEqual(['Monitor', 'Barge', 'Stop']);
  });

  it('losing Barge takes it off the switch without a reload', async () => {
    const { connection } = await renderDock(rightsOf('manager'), session({ mode: 'monitor' }));
    act(() => connection.push('me:rights', withoutRight(rightsOf('manager'), 'live.barge')));
    expect(buttons()).toEqual(['Coach', 'Stop']);
  });

  it('an end by the server is shown with its reason', async () => {
    const { connection } = await renderDock(rightsOf('manager'), session({ mode: 'barge' }));
    act(() => connection.push('supervise:ended', { sessionId: 'sup-1', callId: 'call-7', agentId: 7, mode: 'barge', reason: 'rights-revoked', at: T0 }));
    expect(screen.queryByRole('article', { name: 'Session with Ben Baker' })).toBeNull();
    expect(screen.getByRole('status', { name: 'Ended session with Ben Baker' }).textContent).toContain(
      'Session with Ben Baker ended: Your profile no longer allows this mode',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('status', { name: 'Ended session with Ben Baker' })).toBeNull();
  });

  it('on a platform without barge and take over, an Administrator may switch only to what it carries, and the card says why', async () => {
    const { app, connection } = await renderDock(rightsOf('administrator'), session({ mode: 'monitor' }));
    const platform = { name: 'pbx', modes: ['monitor', 'coach'], recording: true, agentControls: [] } satisfies PlatformCapabilities;
    connection.answer('board:subscribe', () => ({ ok: true, data: { seq: 0, entries: [], teams: [], takenOver: [], platform, at: T0 } }));
    await act(() => app.board.subscribeBoard());
    expect(buttons()).toEqual(['Coach', 'Stop']);
    expect(within(card()).getByTestId('platform-note').textContent).toBe(
      'Barge and Take over are not offered: the telephony platform (pbx) does not carry them',
    );
  });

  it('a take-over offers no switch and ends the call on stop', async () => {
    await renderDock(rightsOf('administrator'), session({ mode: 'takeOver' }));
    expect(buttons()).toEqual(['End call']);
    expect(card().textContent).toContain('A taken-over call cannot change mode');
  });
});
