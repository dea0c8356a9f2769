import type { AgentControl, AgentPhoneState, Call } from '@earshot/shared';
import { useState, type ReactNode } from 'react';
import type { BrowserCallAudio } from '../audio/browserCallAudio.js';
import type { AgentClient } from '../sdk/agentClient.js';
import { offersCallControl } from '../sdk/agentState.js';
import { PhoneIcon } from '../react/icons.js';
import { RecordingIndicator } from '../react/RecordingIndicator.js';
import { formatDuration } from '../react/timeText.js';
import { useAgentState, useServerNow } from '../react/useAgentState.js';
import { CallAudioBar } from './CallAudioBar.js';

type PanelClient = Pick<
  AgentClient,
  | 'getState'
  | 'subscribe'
  | 'clock'
  | 'setStatus'
  | 'answer'
  | 'hold'
  | 'unhold'
  | 'hangUp'
  | 'startRecording'
  | 'pauseRecording'
  | 'resumeRecording'
  | 'stopRecording'
>;

/** The agent's phone: what it is doing now, for how long, and the actions that state allows. */
export function CallPanel({ client, phone, audio }: { client: PanelClient; phone: AgentPhoneState; audio: BrowserCallAudio }) {
  const now = useServerNow(client);
  // While reconnecting nothing can be sent (the SDK queues no action): the buttons say so by being off.
  const agent = useAgentState(client);
  const offline = agent.connection !== 'connected';
  // A PBX may leave answering, holding or hanging up to the phone itself: those are not offered here.
  const offers = (control: AgentControl) => offersCallControl(agent, control);
  // The note says why the button is missing: the telephony, not the agent's profile, leaves it to the phone.
  const onPhone = (what: string) => (
    <span className="call__meta call__on-phone">
      {what} from your phone: the telephony platform{agent.platform ? ` (${agent.platform.name})` : ''} does not let this desk do it
    </span>
  );
  const [pending, setBusy] = useState(false);
  const busy = pending || offline;
  const [error, setError] = useState<string | null>(null);
  const inState = formatDuration(now - phone.since);

  const act = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  const goAvailable = (
    <button type="button" className="earshot-button earshot-button--primary" disabled={busy} onClick={() => void act(() => client.setStatus('available'))}>
      Go available
    </button>
  );
  const failure = error && (
    <p className="call__error" role="alert">
      {error}
    </p>
  );

  switch (phone.state) {
    case 'loggedOut':
      return (
        <Idle tone="off" title="You are logged out of the phone" text="Choose Available when you are ready to take calls.">
          {goAvailable}
          {failure}
        </Idle>
      );
    case 'notReady':
      return (
        <Idle tone="paused" title={`Not ready · ${phone.notReadyReason ?? ''}`} text={`No calls are offered to you. For ${inState}.`}>
          {goAvailable}
          {failure}
        </Idle>
      );
    case 'available':
      return <Idle tone="ready" title="Waiting for a call" text={`You are available. For ${inState}.`} />;
    case 'wrapUp':
      return (
        <Idle tone="wrap" title="Wrap-up" text={`Finish your notes; no call is offered until you are ready. For ${inState}.`}>
          <button
            type="button"
            className="earshot-button earshot-button--primary"
            disabled={busy}
            onClick={() => void act(() => client.setStatus('available'))}
          >
            Ready for the next call
          </button>
          {failure}
        </Idle>
      );
    case 'ringing':
      return (
        <section className="card call call--ringing" aria-labelledby="call-title">
          <CallHeader call={phone.call!} title="Incoming call" />
          <div className="call__actions">
            {offers('answer') ? (
              <button type="button" className="earshot-button call__answer" disabled={busy} onClick={() => void act(() => client.answer())}>
                <PhoneIcon /> Answer
              </button>
            ) : (
              onPhone('Answer')
            )}
            <span className="call__meta">Ringing for {inState}</span>
          </div>
          {failure}
        </section>
      );
    case 'talking':
    case 'held': {
      const call = phone.call!;
      const held = phone.state === 'held';
      return (
        <section className={`card call call--${phone.state}`} aria-labelledby="call-title">
          <CallHeader call={call} title={held ? 'On hold' : 'On a call'} />
          <div className="call__timer" role="timer" aria-label="Call time">
            {formatDuration(now - call.startedAt)}
            {held && <span className="call__held-for">on hold for {inState}</span>}
          </div>
          <div className="call__recording">
            <RecordingIndicator client={client} />
          </div>
          <CallAudioBar audio={audio} />
          <div className="call__actions">
            {held && offers('unhold') && (
              <button type="button" className="earshot-button" disabled={busy} onClick={() => void act(() => client.unhold())}>
                Resume call
              </button>
            )}
            {!held && offers('hold') && (
              <button type="button" className="earshot-button" disabled={busy} onClick={() => void act(() => client.hold())}>
                Hold
              </button>
            )}
            {offers('hangUp') && (
              <button type="button" className="earshot-button call__hangup" disabled={busy} onClick={() => void act(() => client.hangUp())}>
                <PhoneIcon /> Hang up
              </button>
            )}
            {!offers(held ? 'unhold' : 'hold') && onPhone(held ? 'Resume the call' : 'Hold the call')}
            {!offers('hangUp') && onPhone('Hang up')}
          </div>
          {failure}
        </section>
      );
    }
  }
}

function CallHeader({ call, title }: { call: Call; title: string }) {
  return (
    <header className="call__header">
      <span className="call__icon">
        <PhoneIcon size={22} />
      </span>
      <div>
        <h2 id="call-title" className="call__title">
          {title}
        </h2>
        <p className="call__who">
          <span className="call__number">{call.remoteNumberMasked}</span>
          <span className="call__queue">
            {call.direction === 'inbound' ? 'Inbound' : 'Outbound'} · {call.queue} queue
          </span>
        </p>
      </div>
    </header>
  );
}

function Idle({ tone, title, text, children }: { tone: 'off' | 'paused' | 'ready' | 'wrap'; title: string; text: string; children?: ReactNode }) {
  return (
    <section className={`card idle idle--${tone}`} aria-labelledby="idle-title">
      <span className="idle__icon">
        <PhoneIcon size={28} />
      </span>
      <h2 id="idle-title" className="idle__title">
        {title}
      </h2>
      <p className="idle__text">{text}</p>
      {children && <div className="idle__actions">{children}</div>}
    </section>
  );
}
