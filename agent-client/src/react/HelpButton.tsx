import { HELP_MESSAGE_MAX, HelpMessageSchema, type HelpEndReason, type HelpRequestView } from '@earshot/shared';
import { useId, useState } from 'react';
import type { AgentClient } from '../sdk/agentClient.js';
import { LifeBuoyIcon } from './icons.js';
import { formatClockTime } from './timeText.js';
import { useAgentState } from './useAgentState.js';

export interface HelpButtonProps {
  client: Pick<AgentClient, 'getState' | 'subscribe' | 'requestHelp' | 'cancelHelp'>;
}

/** Why the agent's last request ended, in their words. */
export function helpEndText(help: Pick<HelpRequestView, 'acknowledgedBy'> & { endReason: HelpEndReason }): string {
  switch (help.endReason) {
    case 'cancelled':
      return 'You cancelled your help request.';
    case 'call-ended':
      return 'Your help request ended with the call.';
    case 'supervisor-left':
      return `${help.acknowledgedBy?.name ?? 'Your supervisor'} left; ask again if you still need help.`;
    case 'logged-out':
      return 'Your help request ended when you logged out.';
    case 'node-failed':
      return 'Your help request was lost when the server it was on stopped; ask again if you still need help.';
  }
}

/**
 * Asks the supervisors whose scope holds this agent for help (`help:request`, for holders of Handle
 * Calls), with an optional short message; says who is on the way (`help:update`); lets the agent cancel
 * the request, and says why it ended.
 */
export function HelpButton({ client }: HelpButtonProps) {
  const { help, rights } = useAgentState(client);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState('');
  const messageId = useId();
  if (!rights?.rights.includes('calls.handle')) return null;

  const open = help !== null && help.endedAt === null ? help : null;
  const waiting = open !== null && open.acknowledgedBy === null;
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      return true;
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      return false;
    } finally {
      setBusy(false);
    }
  };
  const send = async () => {
    // The shared schema's own sentence: the same rule the server applies.
    const checked = HelpMessageSchema.safeParse(message);
    if (!checked.success) {
      setError(checked.error.issues[0]?.message ?? 'The message cannot be sent');
      return;
    }
    if (open && checked.data === '') return;
    if (await run(() => client.requestHelp(checked.data === '' ? undefined : checked.data))) setMessage('');
  };

  const state = open === null ? 'idle' : waiting ? 'waiting' : 'acknowledged';
  return (
    <div className="earshot-help" data-state={state}>
      <p className="earshot-help__status" role="status">
        {waiting && `Waiting for a supervisor since ${formatClockTime(open.raisedAt)}…`}
        {open?.acknowledgedBy &&
          open.acknowledgedAt !== null &&
          `${open.acknowledgedBy.name} is on the way (acknowledged at ${formatClockTime(open.acknowledgedAt)}).`}
        {help && help.endReason !== null && helpEndText({ ...help, endReason: help.endReason })}
      </p>
      {open?.message && (
        <p className="earshot-help__sent">
          Your message: <q>{open.message}</q>
        </p>
      )}
      {open && (
        <button type="button" className="earshot-button earshot-button--small" disabled={busy} onClick={() => void run(() => client.cancelHelp())}>
          Cancel help request
        </button>
      )}
      <form
        className="earshot-help__form"
        onSubmit={(e) => {
          e.preventDefault();
          void send();
        }}
      >
        <label className="earshot-help__label" htmlFor={messageId}>
          {open ? 'Add a message for your supervisor' : 'Message for your supervisor (optional)'}
        </label>
        <textarea
          id={messageId}
          className="earshot-help__message"
          rows={2}
          value={message}
          aria-describedby={`${messageId}-count`}
          onChange={(e) => setMessage(e.target.value)}
        />
        <span id={`${messageId}-count`} className="earshot-help__count" data-over={message.trim().length > HELP_MESSAGE_MAX || undefined}>
          {message.trim().length} / {HELP_MESSAGE_MAX}
        </span>
        {open ? (
          <button type="submit" className="earshot-button earshot-button--small" disabled={busy || message.trim() === ''}>
            Send message
          </button>
        ) : (
          <button type="submit" className="earshot-button earshot-button--help" disabled={busy}>
            <LifeBuoyIcon />
            Ask for help
          </button>
        )}
      </form>
      {error && (
        <p className="earshot-help__error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
