import { frameSamples, isSilenced, MEDIA_TRACKS, readFrameHeader, type MediaTokenResponse, type MediaTrack } from '@earshot/shared';
import type { AudioDevices, MediaSocket, Microphone, SocketFactory, Speaker } from './audioDevices.js';
import { closeOutcome, mediaSocketUrl, RETRY_DELAYS_MS, tokenRefusal } from './mediaLinkPolicy.js';
import { MicFrames } from './micFrames.js';
import { microphoneProblem } from './microphoneProblem.js';

/**
 * connecting: asking for a token, opening the socket; live: the socket is open; reconnecting: it closed
 * unexpectedly and a new token is on its way; ended: the server closed it for good (4000) because the
 * session or call ended; replaced: a newer socket (another tab, another plugin) took the audio (4409);
 * failed: a refusal or too many tries; `detail` says which.
 */
export type LinkStatus = 'connecting' | 'live' | 'reconnecting' | 'ended' | 'replaced' | 'failed';

/** off: not wanted (a monitoring supervisor), or released; denied, unavailable, failed: `micProblem` says why. */
export type MicStatus = 'off' | 'starting' | 'on' | 'denied' | 'unavailable' | 'failed';

export type TrackCounts = Record<MediaTrack, number>;

export interface LiveAudioState {
  link: LinkStatus;
  /** For ended, the close reason (the session's end reason, or `left-call`); for failed and reconnecting, what went wrong. */
  detail: string | null;
  /** Frames received per track since the audio started. */
  received: TrackCounts;
  /** Frames the speaker actually played per track (its jitter buffer's count). */
  played: TrackCounts;
  /** The latest frame received came silenced by the server: the recording is paused for PCI. */
  silenced: boolean;
  /** RMS, in [0, 1], of what the speaker played over its latest report, after the volume. */
  outputLevel: number;
  volume: number;
  /** The browser holds playback back until the user interacts with the page. */
  playbackBlocked: boolean;
  /** Web Audio could not be started; nothing is played. */
  speakerProblem: string | null;
  mic: MicStatus;
  micProblem: string | null;
  muted: boolean;
  /** Microphone frames sent on the socket. */
  sent: number;
  /** RMS of the microphone over the latest tick, muted or not. */
  micLevel: number;
}

export interface LiveCallAudioOptions {
  /** The Earshot server's http(s) URL; the socket opens on its host at the token's path. */
  serverUrl: string;
  /** `media:token` for this session or call; rejects with the refusal (its `code` and `message`). */
  mediaToken(): Promise<MediaTokenResponse>;
  /** The one track this listener sends (`agent` for the plugin, `supervisor` for the supervisor app). */
  sends: MediaTrack;
  devices: AudioDevices;
  openSocket: SocketFactory;
  /** Stream the microphone from the start (the agent); a supervisor turns it on by mode. */
  sendMicrophone?: boolean;
  retryDelaysMs?: readonly number[];
  now?: () => number;
}

/** How often the counters and levels are handed to the page: a meter's pace, not a frame's. */
export const PUBLISH_EVERY_MS = 100;

const zeroCounts = (): TrackCounts => ({ customer: 0, agent: 0, supervisor: 0 });

const FINISHED: ReadonlySet<LinkStatus> = new Set(['ended', 'replaced', 'failed']);

/**
 * The audio of one listener on one call (media README "Opening a media socket"): a media token, a
 * WebSocket of binary frames, the received tracks mixed to the speaker, and, when wanted, the microphone
 * sent as the listener's own track. The agent's plugin and the supervisor app each hold one per call or
 * session. It reconnects with a fresh token after an unexpected close, and stops for good on 4000 and
 * 4409. Its state is observable (`subscribe`, `getState`) for React's `useSyncExternalStore`.
 */
export class LiveCallAudio {
  private state: LiveAudioState;
  private readonly listeners = new Set<() => void>();
  private link: LinkStatus = 'connecting';
  private detail: string | null = null;
  private readonly received = zeroCounts();
  private silenced = false;
  private volume = 1;
  private speaker: Speaker | null = null;
  private speakerProblem: string | null = null;
  private socket: MediaSocket | null = null;
  private attempts = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private publishTimer: ReturnType<typeof setInterval> | null = null;
  private readonly micFrames: MicFrames;
  private micWanted: boolean;
  private microphone: Microphone | null = null;
  /** Bumped whenever the microphone is closed or reopened: a getUserMedia that resolves late is let go. */
  private micGeneration = 0;
  private mic: MicStatus = 'off';
  private micProblem: string | null = null;
  private micLevel = 0;
  private sent = 0;
  private started = false;
  private closed = false;

  constructor(private readonly options: LiveCallAudioOptions) {
    this.micWanted = options.sendMicrophone ?? false;
    this.micFrames = new MicFrames(options.sends, options.now);
    this.state = this.snapshot();
  }

  // ── Observing ────────────────────────────────────────────────────────────────────────────────────────

  readonly getState = (): LiveAudioState => this.state;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };

  // ── Controls ─────────────────────────────────────────────────────────────────────────────────────────

  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    this.publishTimer = setInterval(() => this.tick(), PUBLISH_EVERY_MS);
    void this.openSpeaker();
    void this.connect();
    if (this.micWanted) void this.openMicrophone();
  }

  /** Whether the microphone is wanted now (a supervisor: coach, barge, take over). Off releases the device. */
  setSendMicrophone(wanted: boolean): void {
    if (wanted === this.micWanted) return;
    this.micWanted = wanted;
    if (!this.started || this.closed) return;
    if (wanted && !FINISHED.has(this.link)) void this.openMicrophone();
    if (!wanted) this.closeMicrophone();
  }

  /** Muted sends nothing; the microphone stays open (its level still shows). */
  setMuted(muted: boolean): void {
    this.micFrames.setMuted(muted);
    this.publish();
  }

  setVolume(volume: number): void {
    this.volume = volume;
    this.speaker?.setVolume(volume);
    this.publish();
  }

  /** After a refusal of the microphone, once the user changed the browser's setting. */
  retryMicrophone(): void {
    if (this.micWanted && !this.closed && (this.mic === 'denied' || this.mic === 'unavailable' || this.mic === 'failed')) void this.openMicrophone();
  }

  /** Takes the audio back (after `replaced`) or tries again (after `failed`), with a new token. */
  reconnect(): void {
    if (this.closed || !this.started || (this.link !== 'replaced' && this.link !== 'failed')) return;
    this.attempts = 0;
    void this.connect();
    if (this.micWanted && this.microphone === null) void this.openMicrophone();
  }

  /** A click lets the browser play (autoplay policy). */
  async resumePlayback(): Promise<void> {
    await this.speaker?.resume();
    this.publish();
  }

  /** Stops everything: the socket, the microphone, the speaker. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.publishTimer) clearInterval(this.publishTimer);
    this.socket?.close();
    this.socket = null;
    this.closeMicrophone();
    this.speaker?.close();
    this.speaker = null;
    this.options.devices.close();
  }

  // ── The socket ───────────────────────────────────────────────────────────────────────────────────────

  private async connect(): Promise<void> {
    this.retryTimer = null;
    this.setLink(this.link === 'live' || this.link === 'reconnecting' ? 'reconnecting' : 'connecting', this.link === 'reconnecting' ? this.detail : null);
    let token: MediaTokenResponse;
    try {
      token = await this.options.mediaToken();
    } catch (e) {
      if (this.closed) return;
      const refusal = tokenRefusal(e);
      return refusal.final ? this.fail(refusal.message) : this.retryLater(refusal.message);
    }
    if (this.closed) return;
    if (token.sends !== this.options.sends) return this.fail(`The server gave a token for the ${token.sends} track; this page sends ${this.options.sends}`);

    let socket: MediaSocket | null = null;
    const mine = () => socket !== null && this.socket === socket;
    let url: string;
    try {
      // Several nodes: the token names the node that carries the call's media.
      url = mediaSocketUrl(token.url ?? this.options.serverUrl, token.path, token.token);
    } catch (e) {
      return this.fail(`The audio cannot connect to ${this.options.serverUrl}: ${e instanceof Error ? e.message : String(e)}`);
    }
    socket = this.options.openSocket(url, {
      open: () => {
        if (mine()) this.setLink('live', null);
      },
      message: (data) => {
        if (mine()) this.receive(data);
      },
      close: (code, reason) => {
        if (!mine()) return;
        this.socket = null;
        this.socketClosed(code, reason);
      },
    });
    this.socket = socket;
  }

  private receive(data: unknown): void {
    // The server sends binary frames only; anything else is not played.
    if (!(data instanceof ArrayBuffer) && !ArrayBuffer.isView(data)) return;
    const reading = readFrameHeader(data);
    if (!reading.ok) return;
    const { track, seq } = reading.header;
    // Audio flows: whatever closes this socket later deserves a full set of tries again.
    this.attempts = 0;
    this.received[track]++;
    const silenced = isSilenced(reading.header);
    if (silenced !== this.silenced) {
      this.silenced = silenced;
      this.publish();
    }
    this.speaker?.play(track, seq, frameSamples(data));
  }

  private socketClosed(code: number, reason: string): void {
    const outcome = closeOutcome(code, reason);
    switch (outcome.kind) {
      case 'ended':
        this.setLink('ended', outcome.reason);
        this.closeMicrophone();
        return;
      case 'replaced':
        this.setLink('replaced', null);
        this.closeMicrophone();
        return;
      case 'failed':
        return this.fail(outcome.message);
      case 'retry':
        return this.retryLater(`The audio connection closed (${code}${reason ? `: ${reason}` : ''})`);
    }
  }

  private retryLater(why: string): void {
    const delays = this.options.retryDelaysMs ?? RETRY_DELAYS_MS;
    if (this.attempts >= delays.length) return this.fail(`The audio connection was lost: ${why}`);
    this.setLink('reconnecting', why);
    this.retryTimer = setTimeout(() => void this.connect(), delays[this.attempts++]);
  }

  private fail(message: string): void {
    this.setLink('failed', message);
    this.closeMicrophone();
  }

  private setLink(link: LinkStatus, detail: string | null): void {
    this.link = link;
    this.detail = detail;
    this.publish();
  }

  // ── Speaker and microphone ───────────────────────────────────────────────────────────────────────────

  private async openSpeaker(): Promise<void> {
    try {
      const speaker = await this.options.devices.openSpeaker();
      if (this.closed) return speaker.close();
      speaker.setVolume(this.volume);
      this.speaker = speaker;
    } catch (e) {
      this.speakerProblem = `The call cannot be played here: ${e instanceof Error ? e.message : String(e)}`;
    }
    this.publish();
  }

  private async openMicrophone(): Promise<void> {
    const generation = ++this.micGeneration;
    this.microphone?.close();
    this.microphone = null;
    this.setMic('starting', null);
    try {
      const microphone = await this.options.devices.openMicrophone((block) => this.micBlock(block));
      if (generation !== this.micGeneration) return microphone.close();
      this.microphone = microphone;
      this.setMic('on', null);
    } catch (e) {
      if (generation !== this.micGeneration) return;
      const problem = microphoneProblem(e);
      this.setMic(problem.status, problem.message);
    }
  }

  private closeMicrophone(): void {
    this.micGeneration++;
    this.microphone?.close();
    this.microphone = null;
    if (this.mic !== 'off') this.setMic('off', null);
  }

  private micBlock(block: Float32Array): void {
    for (const frame of this.micFrames.push(block)) {
      if (this.socket?.send(frame)) this.sent++;
    }
  }

  private setMic(mic: MicStatus, problem: string | null): void {
    this.mic = mic;
    this.micProblem = problem;
    this.publish();
  }

  // ── Publishing ───────────────────────────────────────────────────────────────────────────────────────

  private tick(): void {
    this.micLevel = this.micFrames.takeLevel();
    this.publish();
  }

  private snapshot(): LiveAudioState {
    const stats = this.speaker?.stats ?? null;
    const played = zeroCounts();
    for (const track of MEDIA_TRACKS) played[track] = stats?.tracks[track]?.played ?? 0;
    return {
      link: this.link,
      detail: this.detail,
      received: { ...this.received },
      played,
      silenced: this.silenced,
      outputLevel: stats?.level ?? 0,
      volume: this.volume,
      playbackBlocked: this.speaker?.blocked ?? false,
      speakerProblem: this.speakerProblem,
      mic: this.mic,
      micProblem: this.micProblem,
      muted: this.micFrames.muted,
      sent: this.sent,
      micLevel: this.micLevel,
    };
  }

  /** A new state object only when something changed, so React renders only then. */
  private publish(): void {
    const next = this.snapshot();
    if (sameState(next, this.state)) return;
    this.state = next;
    for (const listener of [...this.listeners]) listener();
  }
}

function sameState(a: LiveAudioState, b: LiveAudioState): boolean {
  for (const key of Object.keys(a) as (keyof LiveAudioState)[]) {
    const x = a[key];
    const y = b[key];
    if (typeof x === 'object' && x !== null && typeof y === 'object' && y !== null) {
      if (MEDIA_TRACKS.some((t) => (x as TrackCounts)[t] !== (y as TrackCounts)[t])) return false;
    } else if (x !== y) {
      return false;
    }
  }
  return true;
}
