import { useState } from 'react';
import type { AgentClient } from '../sdk/agentClient.js';
import { LifeBuoyIcon } from './icons.js';
import { formatClockTime } from './timeText.js';
import { useAgentState } from './useAgentState.js';

export interface HelpButtonProps {
  client: Pick<AgentClient, 'getState' | 'subscribe' | 'requestHelp'>;
}

/**
 * Asks the supervisors whose scope holds this agent for help (`help:request`, for holders of Handle
 * Calls), then says who acknowledged it (`help:update`).
 */
export function HelpButton({ client }: HelpButtonProps) {
  const { help, rights } = useAgentState(client);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!rights?.rights.includes('calls.handle')) return null;

  const waiting = help !== null && help.acknowledgedBy === null;
  const ask = async () => {
    setBusy(true);
    setError(null);
    try {
      await client.requestHelp();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="earshot-help" data-state={waiting ? 'waiting' : help?.acknowledgedBy ? 'acknowledged' : 'idle'}>
      <button type="button" className="earshot-button earshot-button--help" onClick={() => void ask()} disabled={busy || waiting}>
        <LifeBuoyIcon />
        {waiting ? 'Help requested' : 'Ask for help'}
      </button>
      <p className="earshot-help__status" role="status">
        {waiting && `Waiting for a supervisor since ${formatClockTime(help.raisedAt)}…`}
        {help?.acknowledgedBy && help.acknowledgedAt !== null && `${help.acknowledgedBy.name} is on the way (acknowledged at ${formatClockTime(help.acknowledgedAt)}).`}
      </p>
      {error && <p className="earshot-help__error" role="alert">{error}</p>}
    </div>
  );
}
