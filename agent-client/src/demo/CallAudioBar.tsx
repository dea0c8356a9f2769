import { useSyncExternalStore } from 'react';
import type { BrowserCallAudio } from '../audio/browserCallAudio.js';
import { levelText, meterFraction, type LinkStatus, type LiveAudioState, type LiveCallAudio } from '@earshot/media-client';

const LINK_TEXT: Record<LinkStatus, string> = {
  connecting: 'Connecting audio…',
  live: 'Audio connected',
  reconnecting: 'Audio reconnecting…',
  ended: 'Audio ended',
  replaced: 'Your audio moved to another window',
  failed: 'Audio lost',
};

/** The call's audio on the agent's desk: the microphone's mute, and how loud the microphone and the call are. */
export function CallAudioBar({ audio }: { audio: BrowserCallAudio }) {
  const live = useSyncExternalStore(audio.subscribe, audio.getCurrent);
  return live ? <LiveAudioControls audio={live} /> : null;
}

function LiveAudioControls({ audio }: { audio: LiveCallAudio }) {
  const s = useSyncExternalStore(audio.subscribe, audio.getState);
  const micUsable = s.mic === 'on';
  return (
    <div
      className={`call-audio call-audio--${s.link}`}
      role="group"
      aria-label="Call audio"
      data-link={s.link}
      data-mic={s.mic}
      data-muted={s.muted}
      data-frames-customer={s.received.customer}
      data-frames-supervisor={s.received.supervisor}
      data-frames-sent={s.sent}
      data-output-level={levelText(s.outputLevel)}
    >
      <span className="call-audio__status" role="status">
        <span className="call-audio__dot" aria-hidden="true" />
        {LINK_TEXT[s.link]}
      </span>
      <button
        type="button"
        className={`earshot-button earshot-button--small call-audio__mute${s.muted ? ' call-audio__mute--on' : ''}`}
        aria-pressed={s.muted}
        disabled={!micUsable}
        onClick={() => audio.setMuted(!s.muted)}
      >
        {s.muted ? 'Unmute microphone' : 'Mute microphone'}
      </button>
      <span className="call-audio__levels">
        <LevelBar label="Your microphone" level={s.micLevel} dimmed={s.muted || !micUsable} />
        <LevelBar label="Call audio" level={s.outputLevel} dimmed={false} />
      </span>
      <Problems state={s} audio={audio} />
    </div>
  );
}

function Problems({ state: s, audio }: { state: LiveAudioState; audio: LiveCallAudio }) {
  return (
    <>
      {s.playbackBlocked && (
        <button type="button" className="earshot-button earshot-button--small" onClick={() => void audio.resumePlayback()}>
          Turn on call audio
        </button>
      )}
      {(s.link === 'replaced' || s.link === 'failed') && (
        <p className="call-audio__problem" role="alert">
          {s.link === 'failed' && s.detail ? `${s.detail} ` : ''}
          <button type="button" className="earshot-button earshot-button--small" onClick={() => audio.reconnect()}>
            {s.link === 'replaced' ? 'Use audio here' : 'Try again'}
          </button>
        </p>
      )}
      {s.micProblem && (
        <p className="call-audio__problem" role="alert">
          {s.micProblem}{' '}
          <button type="button" className="earshot-button earshot-button--small" onClick={() => audio.retryMicrophone()}>
            Try again
          </button>
        </p>
      )}
      {s.speakerProblem && (
        <p className="call-audio__problem" role="alert">
          {s.speakerProblem}
        </p>
      )}
    </>
  );
}

/** A level on a 60 dB bar; the exact RMS is in the meter's value for assistive technology and tests. */
function LevelBar({ label, level, dimmed }: { label: string; level: number; dimmed: boolean }) {
  const fraction = meterFraction(level);
  return (
    <span className={`level${dimmed ? ' level--dimmed' : ''}`}>
      <span className="level__label">{label}</span>
      <span className="level__track" role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={1} aria-valuenow={Number(levelText(level))}>
        <span className="level__fill" style={{ width: `${Math.round(fraction * 100)}%` }} />
      </span>
    </span>
  );
}
