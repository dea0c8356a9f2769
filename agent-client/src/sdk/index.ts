/**
 * @earshot/agent-client: the headless desktop-agent SDK. Works in Node (an Electron main process, a
 * bot, a test) and in the browser; the wire types come from @earshot/shared.
 */
export { AgentClient, createAgentClient, type AgentClientEvents, type AgentClientOptions } from './agentClient.js';
export { AgentClientError, CLIENT_ERROR_CODES, type ClientErrorCode } from './agentClientError.js';
export {
  INITIAL_AGENT_STATE,
  offersCallControl,
  offersMonitoringHistory,
  offersRecording,
  type AgentState,
  type ConnectionStatus,
} from './agentState.js';
export type { CallAudio, MediaAccess } from './callAudio.js';
export { login, logout, type LoginOptions, type LogoutOptions } from './login.js';
export { ServerClock } from './serverClock.js';
export type {
  AgentControl,
  AgentPhoneState,
  AgentResync,
  Call,
  HelpRequestView,
  LoginResponse,
  MeRights,
  MonitoringHistory,
  MonitoringHistoryEntry,
  PlatformCapabilities,
  RecordingNotice,
  RecordingState,
  SupervisionMode,
  SupervisionNotice,
} from '@earshot/shared';
