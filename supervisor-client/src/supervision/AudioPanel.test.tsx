// @vitest-environment happy-dom
import { MEDIA_FRAME_FLAGS, type SupervisionSessionView } from '@earshot/shared';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LiveAppContext } from '../live/liveAppContext';
import { ScriptedAudio } from '../testing/fakeAudioBackend';
import { fakeLiveApp } from '../testing/fakeLiveApp';
import { rightsOf, session } from '../testing/fixtures';
import { SessionDock } from './SessionDock';

let audio: ScriptedAudio;

beforeEach(() => {
  vi.useFakeTimers();
  audio = new ScriptedAudio();
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

/** Lets the token's promise settle and the panel's 100 ms publishing tick run. */
const tick = () => act(() => vi.advanceTimersByTimeAsync(100));

async function renderDock(active: SupervisionSessionView) {
  const { app, connection } = fakeLiveApp(rightsOf('manager'), 'Ava Hill', audio);
  connection.answer('supervise:mine', () => ({ ok: true, data: { sessions: [active] } }));
  connection.answer('media:token', (p) => ({
    ok: true,
    data: {
      token: `tok-${connection.sentEvents().filter((e) => e === 'media:token').length}`,
      expiresAt: 0,
      path: '/media',
      callId: 'call-7',
      sessionId: p.sessionId!,
      sends: 'supervisor',
    },
  }));
  connection.answer('supervise:mode', (p) => ({ ok: true, data: { session: session({ mode: p.mode }) } }));
  await act(() => app.supervision.refresh());
  const view = render(
    <LiveAppContext.Provider value={app}>
      <SessionDock />
    </LiveAppContext.Provider>,
  );
  await tick();
  return { app, connection, view };
}

const panel = () => screen.getByRole('group', { name: 'Call audio' });
const data = (name: string) => panel().getAttribute(`data-${name}`);
const card = () => screen.getByRole('article', { name: 'Session with Ben Baker' });

describe('the session’s audio panel', () => {
  it('monitor: a token for the session, the call’s tracks counted and played, and no microphone', async () => {
    const { connection } = await renderDock(session({ mode: 'monitor' }));
    expect(connection.sent.filter((s) => s.event === 'media:token')).toEqual([{ event: 'media:token', payload: { sessionId: 'sup-1' } }]);
    expect(audio.socket.url).toBe(`${window.location.origin.replace(/^http/, 'ws')}/media?token=tok-1`);
    expect(within(panel()).getByRole('status').textContent).toBe('Connecting audio…');
    audio.socket.open();
    audio.socket.frame('customer', 0);
    audio.socket.frame('agent', 0);
    audio.socket.frame('customer', 1);
    await tick();
    expect([data('link'), data('frames-customer'), data('frames-agent'), data('frames-supervisor'), data('frames-sent'), data('mic')]).toEqual([
      'live',
      '2',
      '1',
      '0',
      '0',
      'off',
    ]);
    expect(within(panel()).getAllByRole('status')[0]!.textContent).toBe('Audio live');
    expect(audio.played).toEqual([
      ['customer', 0],
      ['agent', 0],
      ['customer', 1],
    ]);
    expect(audio.micOpened).toBe(0);
    expect(within(panel()).queryByRole('button', { name: 'Mute microphone' })).toBeNull();
  });

  it('coach opens the microphone and sends the supervisor track; muted sends nothing; back to monitor releases it', async () => {
    await renderDock(session({ mode: 'monitor' }));
    audio.socket.open();
    await act(async () => fireEvent.click(within(card()).getByRole('button', { name: 'Coach' })));
    await tick();
    expect([audio.micOpened, data('mic')]).toEqual([1, 'on']);
    audio.speakFrame();
    audio.speakFrame();
    fireEvent.click(within(panel()).getByRole('button', { name: 'Mute microphone' }));
    audio.speakFrame();
    await tick();
    expect([data('frames-sent'), data('muted'), audio.socket.sent.length]).toEqual(['2', 'true', 2]);
    expect(within(panel()).getByRole('button', { name: 'Unmute microphone' }).getAttribute('aria-pressed')).toBe('true');

    await act(async () => fireEvent.click(within(card()).getByRole('button', { name: 'Monitor' })));
    await tick();
    expect([audio.micClosed, data('mic')]).toEqual([1, 'off']);
    expect(within(panel()).queryByRole('button', { name: /microphone/ })).toBeNull();
  });

  it('while the frames come silenced it says the call is paused for PCI, and stops saying so with the first normal frame', async () => {
    await renderDock(session({ mode: 'monitor' }));
    audio.socket.open();
    audio.socket.frame('customer', 0, MEDIA_FRAME_FLAGS.SILENCED);
    expect(within(panel()).getByText('Paused for PCI — audio silenced')).toBeTruthy();
    expect(data('silenced')).toBe('true');
    audio.socket.frame('customer', 1);
    expect(within(panel()).queryByText('Paused for PCI — audio silenced')).toBeNull();
  });

  it('a denied microphone is said clearly, with a way to try again', async () => {
    audio.micRefusal = new DOMException('Permission denied', 'NotAllowedError');
    await renderDock(session({ mode: 'coach' }));
    expect(data('mic')).toBe('denied');
    expect(within(panel()).getByRole('alert').textContent).toBe(
      'The browser blocks the microphone for this site: allow it (the icon in the address bar), then try again. Try again',
    );
    audio.micRefusal = null;
    fireEvent.click(within(panel()).getByRole('button', { name: 'Try again' }));
    await tick();
    expect([audio.micOpened, data('mic')]).toEqual([2, 'on']);
  });

  it('4409: the audio went to another tab; Listen here takes it back with a new token', async () => {
    await renderDock(session({ mode: 'monitor' }));
    audio.socket.open();
    audio.socket.serverCloses(4409, 'replaced by a newer media socket');
    expect(within(panel()).getAllByRole('status')[0]!.textContent).toBe('Audio is playing in another tab');
    fireEvent.click(within(panel()).getByRole('button', { name: 'Listen here' }));
    await tick();
    expect(audio.sockets.map((s) => s.url.split('token=')[1])).toEqual(['tok-1', 'tok-2']);
  });

  it('the session ending takes the panel away and closes its socket', async () => {
    const { connection } = await renderDock(session({ mode: 'monitor' }));
    audio.socket.open();
    act(() => connection.push('supervise:ended', { sessionId: 'sup-1', callId: 'call-7', agentId: 7, mode: 'monitor', reason: 'call-ended', at: 0 }));
    expect(screen.queryByRole('group', { name: 'Call audio' })).toBeNull();
    expect(audio.socket.closedByPage).toBe(true);
  });
});
