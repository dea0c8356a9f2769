import { useEffect, useState, useSyncExternalStore } from 'react';
import type { AgentClient } from '../sdk/agentClient.js';
import type { AgentState } from '../sdk/agentState.js';

/** The client's state, re-rendering on every change. */
export function useAgentState(client: Pick<AgentClient, 'getState' | 'subscribe'>): AgentState {
  return useSyncExternalStore(client.subscribe, client.getState, client.getState);
}

/**
 * The server's time now (see ServerClock), for timers: re-rendered every `intervalMs`, and read afresh
 * on every render, so that a timer is right as soon as the phone changes, not at the next tick.
 */
export function useServerNow(client: Pick<AgentClient, 'clock'>, intervalMs = 1000): number {
  const [, setTicks] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTicks((n) => n + 1), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return client.clock.now();
}
