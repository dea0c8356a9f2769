import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import {
  encodeFrameInto,
  MEDIA_CLOSE_CODES,
  MEDIA_FRAME_MS,
  MEDIA_FRAME_SAMPLES,
  stampFrame,
  type AgentPhoneState,
  type MediaFrameHeader,
  type MediaTrack,
  type SessionEndReason,
} from '@earshot/shared';
import { ActionError } from '../domain/actionError.js';
import { isOnCall } from '../domain/phoneState.js';
import { hadTheCall } from '../domain/supervision.js';
import type { FloorEventMap } from '../live/floorEvents.js';
import type { FloorLogger } from '../live/floorPublisher.js';
import type { LiveFloor } from '../live/liveFloor.js';
import type { PlatformTrack, TelephonyPlatform } from '../telephony/platform.js';
import type { RecordingRepository, StoredRecording } from '../store/repositories.js';
import { CallMedia, type RouteSinks, type RoutedFrame, type SupervisorLeg } from './callMedia.js';
import { CallRecorder, SLOTS_PER_WRITE, type FinishedRecording } from './callRecorder.js';
import { DEFAULT_BACKPRESSURE, MediaConsumer, type BackpressureLimits, type FrameSocket } from './mediaConsumer.js';
import type { MediaBinding } from './mediaToken.js';
import { MAX_AHEAD_FRAMES, MAX_OWED_FRAMES } from './platformTrackPace.js';
import { allocFramedFrame } from './wsFramedFrame.js';
import { durationMsOf, repairWavFile, WavFileWriter, type RecordingFileOpener } from './wavFile.js';
import { isRecorded } from '../domain/recording.js';

export interface MediaPlaneDeps {
  floor: LiveFloor;
  recordings: RecordingRepository;
  /** Where the call's audio comes from (pushed to `platformAudio`) and where the agents' and supervisors' voices go. */
  platform: Pick<TelephonyPlatform, 'streamAudio' | 'supervisorAudio' | 'agentAudio'>;
  recordingsDir: string;
  now: () => number;
  log: FloorLogger;
  backpressure?: BackpressureLimits;
  /** How a recording's file is created (default: a new file under `recordingsDir`; tests inject one that fails). */
  openRecordingFile?: RecordingFileOpener;
}

/** One media socket, attached to its call: the endpoint hands it the frames it receives. */
export interface MediaConnection {
  /** A frame whose header the endpoint checked, of the socket's own track. */
  receive(frame: Uint8Array, header: MediaFrameHeader): void;
  /** The client answered a probe (a pong): how much it has read. */
  answered(mark: Uint8Array): void;
  /** The socket closed (either side). */
  closed(): void;
}

export interface MediaStats {
  /** Calls whose audio flows: someone listens, or the call is recorded. */
  activeCalls: number;
  listeners: number;
  recordings: number;
  framesDropped: number;
  tooSlowClosed: number;
  /** Since the plane started, per kind of listener: frames handed to its sockets, and frames dropped stale. */
  frames: Record<MediaBinding['kind'], { routed: number; dropped: number }>;
  /** Recordings whose file failed since the plane started. */
  recorderFailures: number;
  /** Since the plane started: silent frames sent in place of late platform frames, and platform frames dropped too far ahead of the clock. */
  platformFrames: { fillers: number; dropped: number };
}

/**
 * After the event loop stalls, the telephony clock catches up this many frames at most, not a burst of stale
 * audio: the stall whose frames the tracks still forward (`platformTrackPace.ts`), so that the recordings'
 * slots take each of them and the recordings keep the call's time.
 */
const MAX_CATCH_UP_FRAMES = MAX_AHEAD_FRAMES + MAX_OWED_FRAMES;

/** What stands in for a late frame. Shared: it goes only into frames encoded from it, never to a writer. */
const SILENCE = new Int16Array(MEDIA_FRAME_SAMPLES);

const fileSafe = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);

/**
 * The media plane of this node (docs/architecture.md "Media plane"): the audio of the calls whose telephony
 * leg is here, routed to the agent's plugin, the supervisors and the customer by mode, and recorded.
 *
 * It follows the live floor's events rather than keeping rules of its own: calls come with the agents'
 * phones and go with `callEnded`, and sessions come and go with the session events, which the floor
 * raises right after the agent's notice, so a supervisor is routed nothing before the agent was told, and
 * a mode change applies to the very next frame.
 *
 * Every frame is routed the moment it arrives: the platform's customer and agent tracks as it pushes them
 * (`platformAudio`), the agent's and the supervisors' voices as their sockets bring them, so a listener
 * waits for no clock. The 20 ms clock (`pump`) only stands silence in for a platform track that is late
 * and steps the recorders, which lay out the frames they were routed in 20 ms slots. The platform is
 * asked for a call's audio only while someone wants it (a listener, the recorder).
 */
export class MediaPlane {
  private readonly calls = new Map<string, CallMedia>();
  /**
   * The calls whose audio the platform was asked for (`streamAudio`): the clock steps these, not every
   * call on an agent's phone (at 10,000 agents, a thousand calls nobody listens to, fifty times a second).
   */
  private readonly streamingCalls = new Set<CallMedia>();
  private readonly callOfAgent = new Map<number, string>();
  /** callId → the stored row of its recording in progress (null when it could not be stored). */
  private readonly recordingRows = new Map<string, Promise<StoredRecording | null>>();
  private readonly finishing = new Set<Promise<void>>();
  private readonly observers: ((routed: RoutedFrame) => void)[] = [];
  private readonly sinks: RouteSinks;
  /** For the frames the platform pushed: they go to listeners and the recorder, never back to the platform. */
  private readonly platformSinks: RouteSinks;
  private clock: NodeJS.Timeout | null = null;
  private tooSlowClosed = 0;
  private recordersStarted = 0;
  private recorderFailures = 0;
  /** The counts of the sockets already closed, per kind of listener. */
  private readonly closedFrames: MediaStats['frames'] = { agent: { routed: 0, dropped: 0 }, supervisor: { routed: 0, dropped: 0 } };
  /** The counts of the calls already ended. */
  private readonly endedPlatformFrames: MediaStats['platformFrames'] = { fillers: 0, dropped: 0 };

  constructor(private readonly deps: MediaPlaneDeps) {
    const notify = (routed: RoutedFrame) => {
      for (const o of this.observers) o(routed);
    };
    const observers = this.observers;
    this.sinks = {
      agentVoice: (callId, samples) => deps.platform.agentAudio(callId, samples),
      supervisorVoice: (sessionId, samples) => deps.platform.supervisorAudio(sessionId, samples),
      get observe() {
        return observers.length > 0 ? notify : null;
      },
    };
    this.platformSinks = {
      agentVoice: () => undefined,
      supervisorVoice: () => undefined,
      get observe() {
        return observers.length > 0 ? notify : null;
      },
    };
    // The floor's events (a subscriber's failure is logged by the floor, never thrown into it).
    const on = deps.floor.events;
    on.on('phoneChanged', ({ userId, phone }) => this.phoneChanged(userId, phone));
    on.on('callTakenOver', ({ callId }) => {
      const call = this.calls.get(callId);
      if (call) this.agentLeft(call);
    });
    on.on('callEnded', ({ callId }) => {
      const call = this.calls.get(callId);
      if (call) this.endCall(call, 'call-ended');
    });
    on.on('sessionStarted', (e) => this.sessionStarted(e));
    on.on('sessionChanged', (e) => this.sessionChanged(e));
    on.on('sessionEnded', (e) => this.sessionEnded(e));
    on.on('recordingChanged', ({ callId, state }) => {
      const call = this.calls.get(callId);
      if (!call) return;
      call.recording = state;
      this.refresh(call);
    });
  }

  /** Finishes the recordings a previous run left open (the server stopped during their calls). */
  async init(): Promise<void> {
    for (const r of await this.deps.recordings.unfinished()) {
      try {
        const bytes = await repairWavFile(join(this.deps.recordingsDir, r.file));
        const durationMs = durationMsOf(bytes);
        await this.deps.recordings.finish(r.id, {
          endedAt: r.startedAt + durationMs,
          durationMs,
          bytes,
          pausedSpans: r.pausedSpans.map((s) => ({ fromMs: s.fromMs, toMs: s.toMs ?? durationMs })),
        });
        this.deps.log.info('an interrupted recording was recovered', { recordingId: r.id, callId: r.callId, durationMs });
      } catch (e) {
        this.deps.log.error(e, 'an interrupted recording could not be recovered', { recordingId: r.id, callId: r.callId });
      }
    }
  }

  /** Observes every frame handed to a listener's socket (tests, metrics). */
  onFrameRouted(observer: (routed: RoutedFrame) => void): void {
    this.observers.push(observer);
  }

  // ── Sockets ──────────────────────────────────────────────────────────────────────────────────────────

  /**
   * Whether a token's binding still holds: the session is live and the supervisor's, or the call is on
   * the agent's phone and not taken over. Throws the refusal.
   */
  admit(binding: MediaBinding): CallMedia {
    if (binding.kind === 'supervisor') {
      const session = this.deps.floor.supervision.session(binding.sessionId);
      if (!session || session.callId !== binding.callId) throw new ActionError('NOT_FOUND', `The supervision session ${binding.sessionId} has ended`);
      if (session.supervisor.id !== binding.userId) throw new ActionError('FORBIDDEN', `Session ${binding.sessionId} belongs to ${session.supervisor.name}`);
    } else {
      const phone = this.deps.floor.phoneOf(binding.userId);
      if (phone.call?.callId !== binding.callId || !isOnCall(phone)) throw new ActionError('NOT_FOUND', `You are no longer on call ${binding.callId}`);
    }
    const call = this.calls.get(binding.callId);
    const present = binding.kind === 'agent' ? !call?.takenOver : call?.sessions.has(binding.sessionId);
    if (!call || !present) throw new ActionError('NOT_FOUND', `Call ${binding.callId} has no audio here`);
    return call;
  }

  /** Attaches an admitted socket; a socket already there for the same session or call is replaced. */
  attach(binding: MediaBinding, socket: FrameSocket): MediaConnection {
    const call = this.admit(binding);
    const consumer = new MediaConsumer(socket, this.deps.backpressure ?? DEFAULT_BACKPRESSURE, (reason) => {
      this.tooSlowClosed++;
      this.deps.log.info(`media socket closed (${MEDIA_CLOSE_CODES.TOO_SLOW}): ${reason}`, {
        listener: binding.kind,
        userId: binding.userId,
        sessionId: binding.kind === 'supervisor' ? binding.sessionId : null,
        callId: binding.callId,
      });
    });
    const replaced = (old: MediaConsumer | null) => old?.close(MEDIA_CLOSE_CODES.REPLACED, 'replaced by a newer media socket');
    let leg: SupervisorLeg | null = null;
    if (binding.kind === 'agent') {
      replaced(call.agent);
      call.agent = consumer;
    } else {
      leg = call.sessions.get(binding.sessionId)!;
      replaced(leg.consumer);
      leg.consumer = consumer;
    }
    this.updateStreaming(call);
    return {
      receive: (frame, header) => {
        // A frame still in flight from a socket the server closed (replaced, session or call ended) goes nowhere.
        if (consumer.isClosed) return;
        header.timestamp = this.deps.now();
        stampFrame(frame, header.timestamp);
        call.route(frame, header, leg, this.sinks);
      },
      answered: (mark) => consumer.answered(mark),
      closed: () => {
        this.closedFrames[binding.kind].routed += consumer.sent;
        this.closedFrames[binding.kind].dropped += consumer.dropped;
        if (leg && leg.consumer === consumer) leg.consumer = null;
        if (!leg && call.agent === consumer) call.agent = null;
        if (this.calls.get(call.callId) === call) this.updateStreaming(call);
      },
    };
  }

  // ── The telephony clock ──────────────────────────────────────────────────────────────────────────────

  /** A frame of a call's track, pushed by the platform as it arrives at `at`: routed at once. */
  platformAudio(callId: string, track: PlatformTrack, frame: Int16Array, at: number): void {
    const call = this.calls.get(callId);
    if (!call || (track === 'agent' && call.takenOver)) return;
    const seq = (track === 'agent' ? call.fromPlatform.agent : call.fromPlatform.customer).arrived(at);
    if (seq !== null) this.routeTelephony(call, track, seq, at, frame, true);
  }

  /**
   * One 20 ms step of every call whose audio someone wants: silence to the listeners in place of a platform
   * track that is late (the customer's, and the agent's if the platform carries it), then a slot of the
   * recording. Tests call it by hand; `start` runs it in real time.
   */
  pump(): void {
    const at = this.deps.now();
    for (const call of this.streamingCalls) {
      if (!call.wantsAudio()) continue;
      // The clock runs on a timer: a failure of one call's audio is logged, and the other calls go on.
      try {
        const agentSeq = call.takenOver ? null : call.fromPlatform.agent.step(at);
        if (agentSeq !== null) this.routeTelephony(call, 'agent', agentSeq, at, SILENCE, false);
        const customerSeq = call.fromPlatform.customer.step(at);
        if (customerSeq !== null) this.routeTelephony(call, 'customer', customerSeq, at, SILENCE, false);
        call.recorder?.slot(call.recording === 'paused', at);
      } catch (e) {
        this.deps.log.error(e, 'media plane: the audio of a call failed', { callId: call.callId });
      }
    }
  }

  /** Asks the platform for a call's audio while someone wants it, and stops it when nobody does. */
  private updateStreaming(call: CallMedia): void {
    const wants = this.calls.get(call.callId) === call && call.wantsAudio();
    if (wants === this.streamingCalls.has(call)) return;
    if (wants) this.streamingCalls.add(call);
    else this.streamingCalls.delete(call);
    if (wants) for (const pace of Object.values(call.fromPlatform)) pace.restart(this.deps.now());
    this.deps.platform.streamAudio(call.callId, wants);
  }

  start(): void {
    if (this.clock) return;
    const origin = this.deps.now();
    let pumped = 0;
    const steps = () => {
      if (!this.clock) return;
      const due = Math.floor((this.deps.now() - origin) / MEDIA_FRAME_MS);
      if (due - pumped > MAX_CATCH_UP_FRAMES) pumped = due - MAX_CATCH_UP_FRAMES;
      for (; pumped < due; pumped++) this.pump();
    };
    // The steps run after this turn of the event loop has read the sockets: after a stall, the frames that
    // waited unread in them are routed first, and not taken for late.
    this.clock = setInterval(() => setImmediate(steps), MEDIA_FRAME_MS);
    this.clock.unref();
  }

  stop(): void {
    if (this.clock) clearInterval(this.clock);
    this.clock = null;
  }

  /** A frame of the platform's tracks to the call's listeners (and, unless it stands in for a late one, its recorder). */
  private routeTelephony(call: CallMedia, track: MediaTrack, seq: number, timestamp: number, samples: Int16Array, recorded: boolean): void {
    const header: MediaFrameHeader = { track, seq, timestamp, flags: 0 };
    // Node's pool, not a buffer of its own per frame: this runs for every frame of every call heard.
    const { frame, framed } = allocFramedFrame();
    encodeFrameInto(frame, { track, seq, timestamp, samples });
    call.route(frame, header, null, this.platformSinks, samples, recorded, framed);
  }

  // ── Following the floor ──────────────────────────────────────────────────────────────────────────────

  /** A call's audio begins when its agent is first on it (talking or held); it ends with `callEnded`. */
  private phoneChanged(userId: number, phone: AgentPhoneState): void {
    const current = phone.call && isOnCall(phone) ? phone.call : null;
    const previous = this.callOfAgent.get(userId);
    if (previous !== undefined && previous !== current?.callId) this.callOfAgent.delete(userId);
    if (!current) return;
    this.callOfAgent.set(userId, current.callId);
    let call = this.calls.get(current.callId);
    if (!call) this.calls.set(current.callId, (call = new CallMedia(current.callId, userId, current)));
    call.recording = current.recording;
    this.refresh(call);
  }

  private sessionStarted({ session }: FloorEventMap['sessionStarted']): void {
    this.calls.get(session.callId)?.sessions.set(session.sessionId, { sessionId: session.sessionId, mode: session.mode, consumer: null });
  }

  private sessionChanged({ session }: FloorEventMap['sessionChanged']): void {
    const leg = this.calls.get(session.callId)?.sessions.get(session.sessionId);
    if (leg) leg.mode = session.mode;
  }

  private sessionEnded({ session, reason }: FloorEventMap['sessionEnded']): void {
    const call = this.calls.get(session.callId);
    if (!call) return;
    call.sessions.get(session.sessionId)?.consumer?.close(MEDIA_CLOSE_CODES.ENDED, reason);
    call.sessions.delete(session.sessionId);
    // The end of a take-over is the end of the call; the registry ends the others `taken-over-ended`.
    if (hadTheCall(session.mode, reason)) this.endCall(call, reason === 'call-ended' ? 'call-ended' : 'taken-over-ended');
    else this.updateStreaming(call);
  }

  /** A take-over: the agent has left the call, which goes on with the customer and the supervisor. */
  private agentLeft(call: CallMedia): void {
    call.takenOver = true;
    call.agent?.close(MEDIA_CLOSE_CODES.ENDED, 'left-call');
    call.agent = null;
  }

  private endCall(call: CallMedia, reason: SessionEndReason): void {
    if (this.calls.get(call.callId) !== call) return;
    this.calls.delete(call.callId);
    for (const pace of Object.values(call.fromPlatform)) {
      this.endedPlatformFrames.fillers += pace.fillers;
      this.endedPlatformFrames.dropped += pace.dropped;
    }
    if (this.callOfAgent.get(call.agentId) === call.callId) this.callOfAgent.delete(call.agentId);
    call.closeAll(MEDIA_CLOSE_CODES.ENDED, reason);
    this.finishRecording(call);
    this.updateStreaming(call);
  }

  // ── Recording ────────────────────────────────────────────────────────────────────────────────────────

  /** A recorder starts with the first `on` (from the call's offer or a `recordingChanged`). */
  private refresh(call: CallMedia): void {
    if (isRecorded(call.recording) && !call.recorder) this.startRecording(call);
    // Stopped: the file is finished and stored now; a later start records to a new one.
    else if (call.recording === 'off' && call.recorder) this.finishRecording(call);
    this.updateStreaming(call);
  }

  private startRecording(call: CallMedia): void {
    const startedAt = this.deps.now();
    const file = `${fileSafe(call.callId)}-${startedAt}-${randomBytes(4).toString('hex')}.wav`;
    const row = this.deps.recordings
      .create({
        callId: call.callId,
        agentId: call.agentId,
        agentName: this.deps.floor.directory.name(call.agentId),
        queue: call.call.queue,
        direction: call.call.direction,
        remoteNumberMasked: call.call.remoteNumberMasked,
        file,
        startedAt,
      })
      .catch((e: unknown) => {
        this.deps.log.error(e, 'the recording could not be stored', { callId: call.callId });
        return null;
      });
    this.recordingRows.set(call.callId, row);
    const writer = new WavFileWriter(join(this.deps.recordingsDir, file), (e) => this.recorderFailed(call, recorder, e), this.deps.openRecordingFile);
    const recorder = new CallRecorder(
      writer,
      (spans) => {
        void row
          .then((r) => (r ? this.deps.recordings.setPausedSpans(r.id, spans) : undefined))
          .catch((e: unknown) => this.deps.log.error(e, 'the paused spans of a recording could not be stored', { callId: call.callId }));
      },
      // Recordings that begin together (a restart, a burst of calls) write in different steps of the second.
      SLOTS_PER_WRITE - (this.recordersStarted++ % SLOTS_PER_WRITE),
    );
    call.recorder = recorder;
    this.deps.log.info('recording a call', { callId: call.callId, agentId: call.agentId, file });
  }

  /**
   * The recorder's file failed (a full disk, an I/O error): nothing more of the call is recorded, the row
   * keeps what reached the disk, and the floor shows the call's recording `failed` and audits it. A failure
   * while the recording was already being finished (the call ended) is only reported to the floor.
   */
  private recorderFailed(call: CallMedia, recorder: CallRecorder, error: unknown): void {
    this.recorderFailures++;
    if (call.recorder === recorder) {
      const row = this.recordingRows.get(call.callId);
      call.recorder = null;
      call.recording = 'failed';
      this.recordingRows.delete(call.callId);
      if (row) this.track(this.keepWhatWasWritten(call.callId, recorder, row));
    }
    this.deps.floor.recording.failed(call.callId, error instanceof Error ? error.message : String(error));
  }

  /** Finishes the row of a failed recording with what its file holds (nothing, when not even the header was written). */
  private async keepWhatWasWritten(callId: string, recorder: CallRecorder, row: Promise<StoredRecording | null>): Promise<void> {
    try {
      const stored = await row;
      if (!stored) return;
      let bytes = 0;
      try {
        bytes = await repairWavFile(join(this.deps.recordingsDir, stored.file));
      } catch (e) {
        this.deps.log.error(e, 'the file of a failed recording could not be repaired', { callId });
      }
      const durationMs = durationMsOf(bytes);
      await this.deps.recordings.finish(stored.id, { endedAt: this.deps.now(), durationMs, bytes, pausedSpans: recorder.pausedSpansWithin(durationMs) });
    } catch (e) {
      this.deps.log.error(e, 'a failed recording could not be stored', { callId });
    }
  }

  private track(work: Promise<void>): void {
    this.finishing.add(work);
    void work.then(() => this.finishing.delete(work));
  }

  private finishRecording(call: CallMedia): void {
    const recorder = call.recorder;
    const row = this.recordingRows.get(call.callId);
    call.recorder = null;
    this.recordingRows.delete(call.callId);
    if (!recorder || !row) return;
    this.track(
      (async () => {
        let finished: FinishedRecording;
        try {
          finished = await recorder.finish();
        } catch (e) {
          this.deps.log.error(e, 'the recording could not be finished', { callId: call.callId });
          return this.keepWhatWasWritten(call.callId, recorder, row);
        }
        try {
          const stored = await row;
          if (stored) await this.deps.recordings.finish(stored.id, { endedAt: this.deps.now(), ...finished });
        } catch (e) {
          this.deps.log.error(e, 'the recording could not be stored', { callId: call.callId });
        }
      })(),
    );
  }

  /** Resolves once every recording of an ended call is written and stored. */
  async settled(): Promise<void> {
    while (this.finishing.size > 0) await Promise.all([...this.finishing]);
  }

  stats(): MediaStats {
    let listeners = 0;
    let recordings = 0;
    let activeCalls = 0;
    const frames: MediaStats['frames'] = {
      agent: { ...this.closedFrames.agent },
      supervisor: { ...this.closedFrames.supervisor },
    };
    const count = (kind: MediaBinding['kind'], c: MediaConsumer | null) => {
      if (!c) return;
      listeners++;
      frames[kind].routed += c.sent;
      frames[kind].dropped += c.dropped;
    };
    const platformFrames = { ...this.endedPlatformFrames };
    for (const call of this.calls.values()) {
      for (const pace of Object.values(call.fromPlatform)) {
        platformFrames.fillers += pace.fillers;
        platformFrames.dropped += pace.dropped;
      }
      if (call.wantsAudio()) activeCalls++;
      if (call.recorder) recordings++;
      count('agent', call.agent);
      for (const leg of call.sessions.values()) count('supervisor', leg.consumer);
    }
    const framesDropped = frames.agent.dropped + frames.supervisor.dropped;
    return {
      activeCalls,
      listeners,
      recordings,
      framesDropped,
      tooSlowClosed: this.tooSlowClosed,
      frames,
      recorderFailures: this.recorderFailures,
      platformFrames,
    };
  }

  /** Closes every media socket and finishes every recording with what it holds. */
  async close(): Promise<void> {
    this.stop();
    for (const call of [...this.calls.values()]) {
      call.closeAll(MEDIA_CLOSE_CODES.SERVER_CLOSING, 'server closing');
      this.finishRecording(call);
    }
    this.calls.clear();
    this.streamingCalls.clear();
    this.callOfAgent.clear();
    await this.settled();
  }
}
