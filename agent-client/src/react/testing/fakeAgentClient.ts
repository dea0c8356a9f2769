import {
  AGENT_CONTROLS,
  SUPERVISION_MODES,
  type AgentResync,
  type HelpRequestView,
  type MonitoringHistory,
  type PlatformCapabilities,
  type RecordingNotice,
  type SupervisionNotice,
} from '@earshot/shared';
import { act } from '@testing-library/react';
import { vi } from 'vitest';
import type { AgentClientEvents } from '../../sdk/agentClient.js';
import { INITIAL_AGENT_STATE, withHelp, withRecordingNotice, withResync, withSupervisionNotice, type AgentState } from '../../sdk/agentState.js';
import { ServerClock } from '../../sdk/serverClock.js';
import { TypedEmitter } from '../../sdk/typedEmitter.js';

/** A telephony platform that carries every control and recording (the simulator's). */
export const EVERY_CAPABILITY: PlatformCapabilities = {
  name: 'simulator',
  modes: [...SUPERVISION_MODES],
  recording: true,
  agentControls: [...AGENT_CONTROLS],
};

/**
 * What the components need of an AgentClient, without a socket: the real state transitions, the real
 * clock (on a fixed local time), and spies for the actions. The `server*` methods play the server's pushes.
 */
export function fakeAgentClient(initial: Partial<AgentState>, localNow = () => 1_800_000_000_000) {
  const events = new TypedEmitter<AgentClientEvents>();
  let state: AgentState = { ...INITIAL_AGENT_STATE, connection: 'connected', ...initial };
  const set = (next: AgentState) => {
    state = next;
    events.emit('state', next);
  };
  return {
    clock: new ServerClock(localNow),
    getState: () => state,
    subscribe: (listener: () => void) => events.on('state', () => listener()),
    on: <E extends keyof AgentClientEvents>(event: E, listener: (p: AgentClientEvents[E]) => void) => events.on(event, listener),
    startRecording: vi.fn(async () => 'on' as const),
    pauseRecording: vi.fn(async () => 'paused' as const),
    resumeRecording: vi.fn(async () => 'on' as const),
    stopRecording: vi.fn(async () => 'off' as const),
    requestHelp: vi.fn(async (_message?: string) => state.help!),
    cancelHelp: vi.fn(async () => state.help!),
    monitoringHistory: vi.fn(async (): Promise<MonitoringHistory> => ({ since: 0, entries: [] })),

    serverSetState(patch: Partial<AgentState>) {
      act(() => set({ ...state, ...patch }));
    },
    serverSupervision(notice: SupervisionNotice) {
      act(() => {
        set(withSupervisionNotice(state, notice));
        events.emit('supervision', notice);
      });
    },
    serverRecording(notice: RecordingNotice) {
      act(() => {
        set(withRecordingNotice(state, notice));
        events.emit('recording', notice);
      });
    },
    serverHelp(help: HelpRequestView) {
      act(() => set(withHelp(state, help, state.rights?.userId ?? null)));
    },
    serverResync(resync: AgentResync) {
      act(() => {
        set(withResync(state, resync));
        events.emit('resync', resync);
      });
    },
  };
}
