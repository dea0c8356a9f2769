import type { AgentPhoneState, AuditCall, PersonRef, RecordingState } from '@earshot/shared';
import type { AuditLog } from '../audit/auditLog.js';
import { ActionError } from '../domain/actionError.js';
import { recordingNotice } from '../domain/noticePolicy.js';
import { applyPhoneEvent, type PhoneEvent } from '../domain/phoneState.js';
import type { RecordingTransition } from '../domain/recording.js';
import { applyRecordingToTakenOverCall } from '../domain/takeOver.js';
import type { FloorEvents } from './floorEvents.js';
import type { FloorLogger, FloorPublisher } from './floorPublisher.js';
import type { PlannedChange } from './plannedChange.js';
import type { TakenOverCalls } from './takenOverCalls.js';

/** What a recording change needs of the floor: the call's agent, and its phone. */
export interface RecordingFloor {
  agentOfCall(callId: string): number;
  callDescription(callId: string): AuditCall | null;
  phoneOf(userId: number): AgentPhoneState;
  applyPhone(userId: number, event: PhoneEvent): AgentPhoneState;
}

/** The recording of the live calls: started, paused, resumed and stopped by people, failed by the recorder. */
export class RecordingControl {
  constructor(
    private readonly floor: RecordingFloor,
    private readonly takenOver: TakenOverCalls,
    private readonly publisher: FloorPublisher,
    private readonly events: FloorEvents,
    private readonly audit: AuditLog,
    private readonly log: FloorLogger,
    private readonly now: () => number,
  ) {}

  /**
   * A recording change, checked now (the state it leads to); `apply` makes it and tells the agent. `by` null:
   * the system changed it (the recorder failed).
   */
  plan(callId: string, change: RecordingTransition, by: PersonRef | null): PlannedChange<RecordingState> {
    const agentId = this.floor.agentOfCall(callId);
    const t = this.takenOver.get(callId);
    const now = this.now();
    // "Recording state changes reach the agent always (it is their own call)."
    const tell = (state: RecordingState) => this.publisher.toUser(agentId, 'notice:recording', recordingNotice(callId, state, by, now));
    if (t) {
      const next = applyRecordingToTakenOverCall(t, change);
      return {
        result: next.call.recording,
        apply: () => {
          this.takenOver.put(next);
          this.takenOver.publish(agentId);
          this.events.emit('recordingChanged', { callId, agentId, state: next.call.recording, at: now });
          tell(next.call.recording);
        },
      };
    }
    const state = applyPhoneEvent(this.floor.phoneOf(agentId), { type: 'recording', change }, now).call!.recording;
    return {
      result: state,
      apply: () => {
        this.floor.applyPhone(agentId, { type: 'recording', change });
        tell(state);
      },
    };
  }

  /**
   * The recorder could not write the call (a full or failing disk). The call shows `failed` on the board and
   * to its agent, and the failure is audited as the system's. A call that ended meanwhile is only audited.
   */
  failed(callId: string, problem: string): void {
    let planned: PlannedChange<RecordingState> | null = null;
    let agentId: number | null = null;
    try {
      agentId = this.floor.agentOfCall(callId);
      planned = this.plan(callId, 'fail', null);
    } catch (e) {
      // Ended, or no longer recorded: there is no live state to show the failure on.
      if (!(e instanceof ActionError)) throw e;
    }
    this.log.error(new Error(problem), 'recording failed', { callId, agentId });
    const call = this.floor.callDescription(callId);
    const record = {
      actor: null,
      action: 'recording:failed',
      target: { type: 'call', id: callId },
      error: new ActionError('INTERNAL', `The recording of the call failed: ${problem}`),
      detail: { agentId, ...(call ? { call } : {}) },
    };
    try {
      this.audit.recordNow(record);
    } catch (e) {
      this.log.error(e, `audit of a recording failure failed; the record: ${JSON.stringify({ ...record, error: record.error.message })}`, { callId });
    }
    // The disk has failed whether or not its record could be stored: the call shows it.
    planned?.apply?.();
  }
}
