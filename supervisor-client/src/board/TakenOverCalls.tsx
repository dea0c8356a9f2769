import type { TakenOverCallView } from '@earshot/shared';
import { CallSummary, RecordingBadge } from './BoardTable';
import { formatDuration } from './formatDuration';

/** Calls a supervisor took over: the agent has left them, so they live here, not on an agent's row. */
export function TakenOverCalls({ calls, agentName, now }: { calls: readonly TakenOverCallView[]; agentName: (id: number) => string; now: number }) {
  if (calls.length === 0) return null;
  return (
    <section className="taken-over" aria-labelledby="taken-over-title">
      <h2 id="taken-over-title">Taken-over calls</h2>
      <ul>
        {calls.map((t) => {
          const by = t.call.supervisions.find((s) => s.supervisorId === t.supervisorId)?.supervisorName ?? `User ${t.supervisorId}`;
          return (
            <li key={t.call.callId}>
              <span className="mode-chip mode-takeOver">{by}</span>
              <span>took over from {agentName(t.agentId)}</span>
              <CallSummary call={t.call} />
              <span className="ticking">{formatDuration(now - t.call.startedAt)}</span>
              <RecordingBadge recording={t.call.recording} />
            </li>
          );
        })}
      </ul>
    </section>
  );
}
