import type { Recording } from '@earshot/shared';
import { useEffect, useState } from 'react';
import { recordingControls, type RecordingAction } from '../gating/recordingAccess';
import { useLiveApp } from '../live/liveAppContext';
import { useStore } from '../live/store';
import { downloadUrl } from '../ui/download';
import { ErrorNote } from '../ui/ErrorNote';
import { useAction } from '../ui/useAction';
import { durationText, pausedSpansText, recordingCallText, startedText } from './recordingText';
import type { RecordingsPage as Page } from './recordingsApi';
import { ConfirmBar } from '../ui/ConfirmBar';
import { PagerButtons, useCursorPages } from '../ui/cursorPages';
import { DoneNote } from '../ui/DoneNote';

const PAGE_SIZE = 50;

/** The recording playing in the page: the ticket's URL, which the `<audio>` element opens without a header. */
interface Playing {
  recordingId: number;
  audioUrl: string;
  failed: boolean;
}

/**
 * Recorded calls in the user's scope, newest first: play, export and delete, each shown only with its
 * right (Playback, Export, Delete Recording). Refusals come back with the server's message.
 */
export function RecordingsPage() {
  const app = useLiveApp();
  const me = useStore(app.rights);
  /** The `before` cursor of each page shown so far: the last one is the current page. */
  const pages = useCursorPages(PAGE_SIZE);
  const [page, setPage] = useState<Page | null>(null);
  const [playing, setPlaying] = useState<Playing | null>(null);
  const [deleting, setDeleting] = useState<Recording | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const load = useAction();
  const action = useAction();

  const { before, first } = pages;
  useEffect(() => {
    void load.run(async () => {
      const ack = await app.recordings.list({ limit: PAGE_SIZE, ...(before === undefined ? {} : { before }) });
      if (ack.ok) setPage(ack.data);
      return ack;
    });
  }, [app.recordings, before, load.run]);

  const run = (what: RecordingAction, recording: Recording) => {
    setDone(null);
    if (what === 'delete') {
      setDeleting(recording);
      return;
    }
    void action.run(async () => {
      const ack = await app.recordings.ticket(recording.id);
      if (ack.ok && what === 'play') setPlaying({ recordingId: recording.id, audioUrl: ack.data.audioUrl, failed: false });
      if (ack.ok && what === 'export') downloadUrl(ack.data.exportUrl);
      return ack;
    });
  };

  const remove = async (recording: Recording) => {
    const ok = await action.run(() => app.recordings.remove(recording.id));
    setDeleting(null);
    if (!ok) return;
    setDone(`The recording of the ${recordingCallText(recording)} was deleted`);
    if (playing?.recordingId === recording.id) setPlaying(null);
    setPage((p) => p && { ...p, recordings: p.recordings.filter((r) => r.id !== recording.id) });
  };

  const recordings = page?.recordings ?? [];

  return (
    <section className="admin-page recordings-page" aria-labelledby="recordings-title">
      <div className="page-heading">
        <h1 id="recordings-title">Recordings</h1>
        <span className="muted">Recorded calls of the agents in your scope, newest first. Card payments are silence (PCI pauses).</span>
      </div>
      <ErrorNote message={load.error} />
      <ErrorNote message={action.error} onDismiss={() => action.setError(null)} />
      <DoneNote message={done} />
      {deleting && (
        <ConfirmBar
          label={`Delete the recording of the ${recordingCallText(deleting)}`}
          busy={action.busy}
          onConfirm={() => void remove(deleting)}
          onCancel={() => setDeleting(null)}
        >
          Delete the recording of the <strong>{recordingCallText(deleting)}</strong> with {deleting.agentName}? The audio is removed for good.
        </ConfirmBar>
      )}
      <div className="pager">
        <span role="status" className="muted">
          {page ? (recordings.length === 0 ? 'No recording' : `Recordings ${first}–${first + recordings.length - 1}`) : 'Loading…'}
        </span>
        <PagerButtons pages={pages} nextBefore={page?.nextBefore} busy={load.busy} />
      </div>
      <div className="table-frame">
        <table className="data-table recordings-table" aria-labelledby="recordings-title">
          <thead>
            <tr>
              <th scope="col">Agent</th>
              <th scope="col">Call</th>
              <th scope="col">Started</th>
              <th scope="col">Duration</th>
              <th scope="col">Paused for PCI</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {recordings.map((r) => (
              <RecordingRow
                key={r.id}
                recording={r}
                controls={recordingControls(me, r)}
                busy={action.busy}
                playing={playing?.recordingId === r.id ? playing : null}
                onAction={(what) => run(what, r)}
                onPlaybackError={() => setPlaying((p) => p && { ...p, failed: true })}
                onClosePlayer={() => setPlaying(null)}
              />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function RecordingRow({
  recording: r,
  controls,
  busy,
  playing,
  onAction,
  onPlaybackError,
  onClosePlayer,
}: {
  recording: Recording;
  controls: ReturnType<typeof recordingControls>;
  busy: boolean;
  playing: Playing | null;
  onAction: (what: RecordingAction) => void;
  onPlaybackError: () => void;
  onClosePlayer: () => void;
}) {
  return (
    <>
      <tr data-recording-id={r.id}>
        <th scope="row">{r.agentName}</th>
        <td>
          {r.queue} · {r.remoteNumberMasked}
          <span className="muted call-meta">{r.direction === 'inbound' ? 'Inbound' : 'Outbound'}</span>
        </td>
        <td className="nowrap">{startedText(r.startedAt)}</td>
        <td className="nowrap duration">{durationText(r)}</td>
        <td className="paused-spans">{pausedSpansText(r.pausedSpans)}</td>
        <td className="row-actions">
          {controls.map((c) => (
            <button
              key={c.action}
              type="button"
              className={`small${c.action === 'delete' ? ' danger-text' : ''}`}
              disabled={!c.enabled || busy}
              title={c.reason ?? undefined}
              aria-label={`${c.label} the recording of the ${recordingCallText(r)}`}
              onClick={() => onAction(c.action)}
            >
              {c.label}
            </button>
          ))}
        </td>
      </tr>
      {playing && (
        <tr className="player-row">
          <td colSpan={6}>
            <div className="player">
              <audio controls autoPlay src={playing.audioUrl} aria-label={`Recording of the ${recordingCallText(r)}`} onError={onPlaybackError} />
              {playing.failed && (
                <span className="error-note" role="alert">
                  The recording could not be played: your ticket or your rights may have changed. Press Play again.
                </span>
              )}
              <button type="button" className="small" onClick={onClosePlayer}>
                Close player
              </button>
            </div>
          </td>
        </tr>
      )}
    </>
  );
}
