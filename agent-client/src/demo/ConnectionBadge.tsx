import type { ConnectionStatus } from '../sdk/agentState.js';

const TEXT: Record<ConnectionStatus, string> = {
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  closed: 'Disconnected',
};

export function ConnectionBadge({ connection }: { connection: ConnectionStatus }) {
  return (
    <span className={`connection connection--${connection}`}>
      <span className="connection__dot" aria-hidden="true" />
      {TEXT[connection]}
    </span>
  );
}
