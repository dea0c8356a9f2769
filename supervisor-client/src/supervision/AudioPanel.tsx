import type { SupervisionSessionView } from '@earshot/shared';
import { levelText, type LinkStatus, type LiveAudioState, type LiveCallAudio } from '@earshot/media-client';
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { useLiveApp } from '../live/liveAppContext';
import { LevelBar } from '../ui/LevelBar';
import { speaksIn, startSessionAudio } from './sessionAudio';

const LINK_TEXT: Record<LinkStatus, string> = {
  connecting: 'Connecting audio…',
  live: 'Audio live',
  reconnecting: 'Audio reconnecting…',
  ended: 'Audio ended',
  replaced: 'Audio is playing in another tab',
  failed: 'Audio lost',
};

/**
 * The session's audio: the call played (customer and agent, mixed here), its level and volume, the PCI
 * pause, and in coach, barge and take over the supervisor's microphone with a mute. Mounted in the dock,
 * which stays across pages, so the audio goes on while the supervisor opens another page. Its data
 * attributes carry the counts the browser tests read.
 */
export function AudioPanel({ session }: { session: SupervisionSessionView }) {
  const app = useLiveApp();
  const [audio, setAudio] = useState<LiveCallAudio | null>(null);
  const speaking = speaksIn(session.mode);
  // The mode at the start only: later switches reach the running audio through the effect below.
  const startMode = useRef(session.mode);

  useEffect(() => {
    const started = startSessionAudio(app, session.sessionId, startMode.current);
    setAudio(started);
    return () => {
      started.close();
      setAudio(null);
    };
  }, [app, session.sessionId]);

  useEffect(() => {
    audio?.setSendMicrophone(speaking);
  }, [audio, speaking]);

  return audio ? <AudioControls audio={audio} speaking={speaking} /> : null;
}

function AudioControls({ audio, speaking }: { audio: LiveCallAudio; speaking: boolean }) {
  const s = useSyncExternalStore(audio.subscribe, audio.getState);
  return (
    <div
      className={`audio-panel audio-${s.link}`}
      role="group"
      aria-label="Call audio"
      data-link={s.link}
      data-frames-customer={s.received.customer}
      data-frames-agent={s.received.agent}
      data-frames-supervisor={s.received.supervisor}
      data-played-customer={s.played.customer}
      data-played-agent={s.played.agent}
      data-frames-sent={s.sent}
      data-output-level={levelText(s.outputLevel)}
      data-silenced={s.silenced}
      data-mic={s.mic}
      data-muted={s.muted}
    >
      <span className="audio-link" role="status">
        {LINK_TEXT[s.link]}
      </span>
      {s.silenced && (
        <span className="pci-badge" role="status">
          Paused for PCI — audio silenced
        </span>
      )}
      <span className="audio-meter">
        <span className="audio-meter-label" aria-hidden="true">
          Call
        </span>
        <LevelBar label="Call audio level" level={s.outputLevel} />
      </span>
      <label className="volume-control">
        <span>Volume</span>
        <input type="range" min={0} max={100} step={5} value={Math.round(s.volume * 100)} onChange={(e) => audio.setVolume(Number(e.target.value) / 100)} />
      </label>
      {speaking && <MicrophoneControls audio={audio} state={s} />}
      <AudioProblems audio={audio} state={s} />
    </div>
  );
}

function MicrophoneControls({ audio, state: s }: { audio: LiveCallAudio; state: LiveAudioState }) {
  const on = s.mic === 'on';
  return (
    <span className="mic-controls">
      <button
        type="button"
        className={`small mic-toggle${s.muted ? ' mic-muted' : ''}`}
        aria-pressed={s.muted}
        disabled={!on}
        onClick={() => audio.setMuted(!s.muted)}
      >
        {s.muted ? 'Unmute microphone' : 'Mute microphone'}
      </button>
      <span className="audio-meter">
        <span className="audio-meter-label" aria-hidden="true">
          Mic
        </span>
        <LevelBar label="Microphone level" level={s.micLevel} dimmed={!on || s.muted} />
      </span>
      {s.mic === 'starting' && <span className="muted">Starting the microphone…</span>}
    </span>
  );
}

function AudioProblems({ audio, state: s }: { audio: LiveCallAudio; state: LiveAudioState }) {
  return (
    <>
      {s.playbackBlocked && (
        <button type="button" className="small" onClick={() => void audio.resumePlayback()}>
          Play the call audio
        </button>
      )}
      {s.micProblem && (
        <span className="audio-problem" role="alert">
          {s.micProblem}{' '}
          <button type="button" className="small" onClick={() => audio.retryMicrophone()}>
            Try again
          </button>
        </span>
      )}
      {(s.link === 'replaced' || s.link === 'failed') && (
        <span className="audio-problem" role="alert">
          {s.link === 'failed' && s.detail ? `${s.detail} ` : ''}
          <button type="button" className="small" onClick={() => audio.reconnect()}>
            {s.link === 'replaced' ? 'Listen here' : 'Try again'}
          </button>
        </span>
      )}
      {s.speakerProblem && (
        <span className="audio-problem" role="alert">
          {s.speakerProblem}
        </span>
      )}
    </>
  );
}
