import type { RecordingState } from '@earshot/shared';
import { useState } from 'react';
import type { AgentClient } from '../sdk/agentClient.js';
import { offersRecording } from '../sdk/agentState.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { useAgentState } from './useAgentState.js';

export interface RecordingIndicatorProps {
  client: Pick<AgentClient, 'getState' | 'subscribe' | 'startRecording' | 'pauseRecording' | 'resumeRecording' | 'stopRecording'>;
}

const LABEL: Record<RecordingState, string> = { off: 'Not recorded', on: 'Recording', paused: 'Recording paused', failed: 'Recording failed: not recorded' };

type Change = 'pause' | 'resume';

const CONFIRM: Record<Change, { title: string; body: string; confirmLabel: string }> = {
  pause: {
    title: 'Pause the recording?',
    body: 'For a card payment: nothing of the call is recorded, and supervisors listening hear silence, until you resume.',
    confirmLabel: 'Pause recording',
  },
  resume: {
    title: 'Resume the recording?',
    body: 'Make sure the card details are complete: from now on the call is recorded again.',
    confirmLabel: 'Resume recording',
  },
};

/**
 * The recording state of the agent's call, always shown while on a call ("recording state changes reach
 * the agent always"). Pause and resume, for card payments, ask first and show only to holders of Pause
 * User Recording; starting a recording shows only to holders of Initiate User Recording. A recording the
 * server could not write (a full disk) shows as failed: the call is no longer recorded.
 */
export function RecordingIndicator({ client }: RecordingIndicatorProps) {
  const agent = useAgentState(client);
  const { phone, rights, recording: lastNotice } = agent;
  const [asking, setAsking] = useState<Change | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const call = phone?.call;
  if (!call) return null;

  // A telephony that cannot record offers no recording control, whatever the profile holds.
  const granted = (right: 'recording.pause' | 'recording.initiate') => rights?.rights.includes(right) ?? false;
  const holds = (right: 'recording.pause' | 'recording.initiate') => offersRecording(agent) && granted(right);
  // The agent whose profile lets them pause or start a recording is told why the buttons are missing.
  const platformCannotRecord = !offersRecording(agent) && (granted('recording.pause') || granted('recording.initiate'));
  const state = call.recording;
  const by = lastNotice?.state === state && state !== 'off' && state !== 'failed' ? lastNotice.by : null;

  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      setAsking(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setAsking(null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className={`earshot-recording earshot-recording--${state}`} role="group" aria-label="Call recording" data-state={state}>
      <span className="earshot-recording__dot" aria-hidden="true" />
      <span className="earshot-recording__label" role="status">
        {LABEL[state]}
        {by && <span className="earshot-recording__by"> by {by.id === rights?.userId ? 'you' : by.name}</span>}
      </span>
      {state === 'on' && holds('recording.pause') && (
        <button type="button" className="earshot-button earshot-button--small" onClick={() => setAsking('pause')}>
          Pause for card payment
        </button>
      )}
      {state === 'paused' && holds('recording.pause') && (
        <button type="button" className="earshot-button earshot-button--small" onClick={() => setAsking('resume')}>
          Resume recording
        </button>
      )}
      {(state === 'off' || state === 'failed') && holds('recording.initiate') && (
        <button type="button" className="earshot-button earshot-button--small" disabled={busy} onClick={() => void run(() => client.startRecording())}>
          {state === 'failed' ? 'Start recording again' : 'Start recording'}
        </button>
      )}
      {(state === 'on' || state === 'paused') && holds('recording.initiate') && (
        <button type="button" className="earshot-button earshot-button--small" disabled={busy} onClick={() => void run(() => client.stopRecording())}>
          Stop recording
        </button>
      )}
      {platformCannotRecord && (
        <span className="earshot-recording__note">
          Recording is not controlled here: the telephony platform{agent.platform ? ` (${agent.platform.name})` : ''} does not let Earshot record calls
        </span>
      )}
      {error && (
        <p className="earshot-recording__error" role="alert">
          {error}
        </p>
      )}
      {asking && (
        <ConfirmDialog
          {...CONFIRM[asking]}
          busy={busy}
          onCancel={() => setAsking(null)}
          onConfirm={() => void run(() => (asking === 'pause' ? client.pauseRecording() : client.resumeRecording()))}
        />
      )}
    </div>
  );
}
