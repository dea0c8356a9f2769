import type { AgentPhoneState } from '@earshot/shared';
import { useState } from 'react';
import type { AgentClient } from '../sdk/agentClient.js';

/** The reasons offered for Not ready; the server accepts any short text. */
const NOT_READY_REASONS = ['Break', 'Lunch', 'Training', 'Meeting', 'Admin work'] as const;

const ON_CALL = new Set(['ringing', 'talking', 'held']);

/** The option that stands for the phone's current state. */
function currentValue(phone: AgentPhoneState): string {
  if (ON_CALL.has(phone.state)) return 'onCall';
  if (phone.state === 'notReady') return `notReady:${phone.notReadyReason ?? ''}`;
  return phone.state;
}

/**
 * Available, Not ready with a reason, or logged out of the phone. Disabled on a call: the phone-state
 * machine lets an agent change status only off a call (server/src/domain/phoneState.ts).
 */
export function StatusSelector({ client, phone }: { client: Pick<AgentClient, 'setStatus'>; phone: AgentPhoneState }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const value = currentValue(phone);
  const customReason = phone.state === 'notReady' && !(NOT_READY_REASONS as readonly string[]).includes(phone.notReadyReason ?? '');

  const choose = async (next: string) => {
    setBusy(true);
    setError(null);
    try {
      if (next === 'available') await client.setStatus('available');
      else if (next === 'loggedOut') await client.setStatus('loggedOut');
      else if (next.startsWith('notReady:')) await client.setStatus('notReady', next.slice('notReady:'.length));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className={`status status--${phone.state}`}>
      <span className="status__dot" aria-hidden="true" />
      <label className="earshot-visually-hidden" htmlFor="agent-status">
        Your status
      </label>
      <select
        id="agent-status"
        className="status__select"
        value={value}
        disabled={busy || ON_CALL.has(phone.state)}
        onChange={(e) => void choose(e.target.value)}
      >
        {ON_CALL.has(phone.state) && (
          <option value="onCall" disabled>
            On a call
          </option>
        )}
        {phone.state === 'wrapUp' && (
          <option value="wrapUp" disabled>
            Wrap-up
          </option>
        )}
        <option value="available">Available</option>
        <optgroup label="Not ready">
          {customReason && <option value={value}>Not ready · {phone.notReadyReason}</option>}
          {NOT_READY_REASONS.map((r) => (
            <option key={r} value={`notReady:${r}`}>
              Not ready · {r}
            </option>
          ))}
        </optgroup>
        <option value="loggedOut">Logged out</option>
      </select>
      {error && (
        <p className="status__error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
