// @vitest-environment happy-dom
import type { MeRights, Recording } from '@earshot/shared';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LiveAppContext } from '../live/liveAppContext';
import { fakeLiveApp } from '../testing/fakeLiveApp';
import { custom, rightsOf, T0 } from '../testing/fixtures';
import { RecordingsPage } from './RecordingsPage';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

function recording(overrides: Partial<Recording> = {}): Recording {
  return {
    id: 41, callId: 'call-9', agentId: 7, agentName: 'Ben Baker', queue: 'Billing', direction: 'inbound', remoteNumberMasked: '+1••••••1234',
    startedAt: T0, endedAt: T0 + 95_000, durationMs: 95_000, bytes: 95 * 32_000, pausedSpans: [{ fromMs: 12_000, toMs: 31_000 }], ...overrides,
  };
}

async function renderPage(rights: MeRights, recordings: Recording[]) {
  const { app, recordings: api } = fakeLiveApp(rights);
  api.listAnswer = () => ({ ok: true, data: { recordings, nextBefore: null } });
  await act(async () => {
    render(
      <LiveAppContext.Provider value={app}>
        <RecordingsPage />
      </LiveAppContext.Provider>,
    );
  });
  return api;
}

const row = (callId: string) => screen.getByRole('row', { name: new RegExp(callId) });
const cells = (callId: string) => within(row(callId)).getAllByRole('cell').map((c) => c.textContent);
const buttons = (callId: string) => within(row(callId)).queryAllByRole('button').map((b) => b.textContent);

describe('the recordings page', () => {
  it('lists each recording with its agent, call, start, duration and PCI pauses; a Manager may play, export and delete', async () => {
    const api = await renderPage(rightsOf('manager'), [recording(), recording({ id: 40, callId: 'call-8', agentName: 'Cy Cole', pausedSpans: [], durationMs: 4_000 })]);
    expect(api.calls).toEqual([{ method: 'list', query: { limit: 50 } }]);
    expect(within(row('call-9')).getByRole('rowheader').textContent).toBe('Ben Baker');
    expect(cells('call-9').slice(0, 1)).toEqual(['call-9Inbound · Billing · +1••••••1234']);
    expect(cells('call-9').slice(2, 4)).toEqual(['1:35', '0:12–0:31']);
    expect(cells('call-8').slice(2, 4)).toEqual(['0:04', 'None']);
    expect(buttons('call-9')).toEqual(['Play', 'Export', 'Delete']);
    expect(screen.getByRole('status').textContent).toBe('Recordings 1–2');
  });

  it('plays through a ticket: an <audio> element on the ticket’s URL', async () => {
    const api = await renderPage(rightsOf('manager'), [recording()]);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Play the recording of call call-9' })));
    expect(api.calls.at(-1)).toEqual({ method: 'ticket', recordingId: 41 });
    const audio = screen.getByLabelText('Recording of call call-9') as HTMLAudioElement;
    expect(audio.tagName).toBe('AUDIO');
    expect(audio.getAttribute('src')).toBe('/api/recordings/41/audio?ticket=t41');
    expect(audio.controls).toBe(true);
  });

  it('exports through a ticket: the export URL goes to the downloads', async () => {
    const clicked: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.getAttribute('href')!);
    });
    await renderPage(rightsOf('manager'), [recording()]);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Export the recording of call call-9' })));
    expect(clicked).toEqual(['/api/recordings/41/export?ticket=t41']);
  });

  it('deletes only after confirming, and the row goes', async () => {
    const api = await renderPage(rightsOf('manager'), [recording(), recording({ id: 40, callId: 'call-8' })]);
    fireEvent.click(screen.getByRole('button', { name: 'Delete the recording of call call-9' }));
    const confirm = screen.getByRole('alertdialog', { name: 'Delete the recording of call call-9' });
    fireEvent.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(api.calls.filter((c) => c.method === 'remove')).toEqual([]);

    fireEvent.click(screen.getByRole('button', { name: 'Delete the recording of call call-9' }));
    await act(async () => fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Yes, delete' })));
    expect(api.calls.at(-1)).toEqual({ method: 'remove', recordingId: 41 });
    expect(screen.queryByRole('row', { name: /call-9/ })).toBeNull();
    expect(screen.getByText('The recording of call call-9 was deleted')).toBeTruthy();
    expect(row('call-8')).toBeTruthy();
  });

  it('a refusal is shown with the server’s message', async () => {
    const api = await renderPage(rightsOf('manager'), [recording()]);
    api.removeAnswer = () => ({ ok: false, error: { code: 'FORBIDDEN', message: 'Your profile (Manager) does not hold Delete Recording (recording.delete)' } });
    fireEvent.click(screen.getByRole('button', { name: 'Delete the recording of call call-9' }));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Yes, delete' })));
    expect(screen.getByRole('alert').textContent).toContain('Your profile (Manager) does not hold Delete Recording (recording.delete)');
    expect(row('call-9')).toBeTruthy();
  });

  it('the Agent profile, even given Playback, plays and never sees Export or Delete', async () => {
    const agentWithPlayback = { ...rightsOf('agent'), rights: [...rightsOf('agent').rights, 'recording.playback' as const] };
    await renderPage(agentWithPlayback, [recording()]);
    expect(buttons('call-9')).toEqual(['Play']);
    expect(screen.queryByRole('button', { name: /Delete/ })).toBeNull();
  });

  it('a recording still in progress shows its controls disabled, saying why', async () => {
    await renderPage(custom(['recording.playback', 'recording.delete']), [recording({ endedAt: null, durationMs: 0, pausedSpans: [{ fromMs: 2_000, toMs: null }] })]);
    expect(cells('call-9').slice(2, 4)).toEqual(['Recording…', '0:02–…']);
    const play = screen.getByRole('button', { name: 'Play the recording of call call-9' }) as HTMLButtonElement;
    expect([play.disabled, play.title]).toEqual([true, 'The call is still being recorded']);
  });
});
