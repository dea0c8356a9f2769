import type { AnyActionDefinition } from '../actionTypes.js';
import { alertActions } from './alertActions.js';
import { agentActions } from './agentActions.js';
import { auditActions } from './auditActions.js';
import { boardActions, helpActions, queueActions, recordingActions, superviseActions } from './floorActions.js';
import { mediaActions } from './mediaActions.js';
import { meActions } from './meActions.js';
import { monitoringActions } from './monitoringActions.js';
import { profileActions } from './profileActions.js';
import { teamActions } from './teamActions.js';
import { userActions } from './userActions.js';

/** Every client action; the gateway registers each through the one wrapper. */
export const ALL_ACTIONS: readonly AnyActionDefinition[] = [
  ...meActions,
  ...profileActions,
  ...userActions,
  ...teamActions,
  ...auditActions,
  ...boardActions,
  ...queueActions,
  ...superviseActions,
  ...recordingActions,
  ...mediaActions,
  ...agentActions,
  ...helpActions,
  ...alertActions,
  ...monitoringActions,
];
