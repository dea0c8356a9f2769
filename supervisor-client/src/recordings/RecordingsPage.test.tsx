// @vitest-environment happy-dom
import type { MeRights, Recording } from '@earshot/shared';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LiveAppContext } from '../live/liveAppContext';
import { fakeLiveApp } from '../testing/fakeLiveApp';
import { custom, rightsOf, T0 } from '../testing/fixtures';
import { RecordingsPage } from './RecordingsPage';
import { startedText } from './recordingText';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

function recording(overrides: Partial<Recording> = {}): Recording {
  return {
    id: 41,
    callId: 'call-9',
    agentId: 7,
    agentName: 'Ben Baker',
    queue: 'Billing',
    direction: 'inbound',
    remoteNumberMasked: '+1••••••1234',
    startedAt: T0,
    endedAt: T0 + 95_000,
    durationMs: 95_000,
    bytes: 95 * 32_000,
    pausedSpans: [{ fromMs: 12_000, toMs: 31_000 }],
    ...overrides,
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

const row = (recordingId: number) => document.querySelector<HTMLElement>(`tr[data-recording-id="${recordingId}"]`);
const cells = (recordingId: number) =>
  within(row(recordingId)!)
    .getAllByRole('cell')
    .map((c) => c.textContent);
const buttons = (recordingId: number) =>
  within(row(recordingId)!)
    .queryAllByRole('button')
    .map((b) => b.textContent);
/** The call as the page names it to people: queue, masked number, start; never its internal id. */
const CALL = `Billing call, +1••••••1234, ${startedText(T0)}`;

describe('the recordings page', () => {
  it('lists each recording with its agent, call, start, duration and PCI pauses; a Manager may play, export and delete', async () => {
    const api = await renderPage(rightsOf('manager'), [
      recording(),
      recording({ id: 40, callId: 'call-8', agentName: 'Cy Cole', pausedSpans: [], durationMs: 4_000 }),
    ]);
    expect(api.calls).toEqual([{ method: 'list', query: { limit: 50 } }]);
    expect(within(row(41)!).getByRole('rowheader').textContent).toBe('Ben Baker');
    expect(cells(41).slice(0, 1)).toEqual(['Billing · +1••••••1234Inbound']);
    expect(cells(41).slice(2, 4)).toEqual(['1:35', '0:12–0:31']);
    expect(cells(40).slice(2, 4)).toEqual(['0:04', 'None']);
    expect(buttons(41)).toEqual(['Play', 'Export', 'Delete']);
    expect(document.body.textContent).not.toContain('call-9');
    expect(screen.getByRole('status').textContent).toBe('Recordings 1–2');
  });

  it('plays through a ticket: an <audio> element on the ticket’s URL', async () => {
    const api = await renderPage(rightsOf('manager'), [recording()]);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: `Play the recording of the ${CALL}` })));
    expect(api.calls.at(-1)).toEqual({ method: 'ticket', recordingId: 41 });
    const audio = screen.getByLabelText(`Recording of the ${CALL}`) as HTMLAudioElement;
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
    await act(async () => fireEvent.click(screen.getByRole('button', { name: `Export the recording of the ${CALL}` })));
    expect(clicked).toEqual(['/api/recordings/41/export?ticket=t41']);
  });

  it('deletes only after confirming, and the row goes', async () => {
    const api = await renderPage(rightsOf('manager'), [recording(), recording({ id: 40, callId: 'call-8', startedAt: T0 - 3_600_000 })]);
    fireEvent.click(screen.getByRole('button', { name: `Delete the recording of the ${CALL}` }));
    const confirm = screen.getByRole('alertdialog', { name: `Delete the recording of the ${CALL}` });
    fireEvent.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(api.calls.filter((c) => c.method === 'remove')).toEqual([]);

    fireEvent.click(screen.getByRole('button', { name: `Delete the recording of the ${CALL}` }));
    await act(async () => fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Yes, delete' })));
    expect(api.calls.at(-1)).toEqual({ method: 'remove', recordingId: 41 });
    expect(row(41)).toBeNull();
    expect(screen.getByText(`The recording of the ${CALL} was deleted`)).toBeTruthy();
    expect(row(40)).toBeTruthy();
  });

  it('a refusal is shown with the server’s message', async () => {
    const api = await renderPage(rightsOf('manager'), [recording()]);
    api.removeAnswer = () => ({ ok: false, error: { code: 'FORBIDDEN', message: 'Your profile (Manager) does not hold Delete Recording (recording.delete)' } });
    fireEvent.click(screen.getByRole('button', { name: `Delete the recording of the ${CALL}` }));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Yes, delete' })));
    expect(screen.getByRole('alert').textContent).toContain('Your profile (Manager) does not hold Delete Recording (recording.delete)');
    expect(row(41)).toBeTruthy();
  });

  it('the Agent profile, even given Playback, plays and never sees Export or Delete', async () => {
    const agentWithPlayback = { ...rightsOf('agent'), rights: [...rightsOf('agent').rights, 'recording.playback' as const] };
    await renderPage(agentWithPlayback, [recording()]);
    expect(buttons(41)).toEqual(['Play']);
    expect(screen.queryByRole('button', { name: /Delete/ })).toBeNull();
  });

  it('a recording still in progress shows its controls disabled, saying why', async () => {
    await renderPage(custom(['recording.playback', 'recording.delete']), [
      recording({ endedAt: null, durationMs: 0, pausedSpans: [{ fromMs: 2_000, toMs: null }] }),
    ]);
    expect(cells(41).slice(2, 4)).toEqual(['Recording…', '0:02–…']);
    const play = screen.getByRole('button', { name: `Play the recording of the ${CALL}` }) as HTMLButtonElement;
    expect([play.disabled, play.title]).toEqual([true, 'The call is still being recorded']);
  });
});
