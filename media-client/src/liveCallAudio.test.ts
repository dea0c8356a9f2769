import { MEDIA_FRAME_FLAGS, MEDIA_FRAME_SAMPLES, type MediaTokenResponse, type MediaTrack } from '@earshot/shared';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AudioDevices, Microphone, Speaker } from './audioDevices.js';
import { LiveCallAudio, PUBLISH_EVERY_MS, type LiveCallAudioOptions } from './liveCallAudio.js';
import { ScriptedMediaSocket } from './testing/scriptedMediaSocket.js';

/** A refusal as the agent SDK rejects with it (`AgentClientError`): an Error that carries the wire code. */
class CodedError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Web Audio's stand-ins: what was played, and a microphone the test speaks into or refuses. */
class FakeDevices implements AudioDevices {
  readonly played: [MediaTrack, number][] = [];
  micOpened = 0;
  micClosed = 0;
  micRefusal: Error | null = null;
  speakFrom: ((block: Float32Array) => void) | null = null;
  closed = false;
  readonly speaker: Speaker & { volume: number; closed: boolean } = {
    volume: 1,
    closed: false,
    stats: { tracks: { customer: { played: 4, underruns: 0, dropped: 0, missing: 0 } }, level: 0.125 },
    blocked: false,
    play: (track, seq) => void this.played.push([track, seq]),
    setVolume: (v) => void (this.speaker.volume = v),
    resume: async () => {},
    close: () => void (this.speaker.closed = true),
  };

  async openSpeaker() {
    return this.speaker;
  }

  async openMicrophone(onBlock: (block: Float32Array) => void): Promise<Microphone> {
    this.micOpened++;
    if (this.micRefusal) throw this.micRefusal;
    this.speakFrom = onBlock;
    return { close: () => void this.micClosed++ };
  }

  /** One 20 ms frame of voice into the microphone. */
  speak() {
    this.speakFrom!(new Float32Array(MEDIA_FRAME_SAMPLES).fill(0.1));
  }

  close() {
    this.closed = true;
  }
}

const token = (n: number, sends: MediaTrack = 'supervisor'): MediaTokenResponse => ({
  token: `tok-${n}`,
  expiresAt: 0,
  path: '/media',
  callId: 'call-1',
  sessionId: 'sup-1',
  sends,
});

let devices: FakeDevices;
let sockets: ScriptedMediaSocket[];
let tokens: (() => Promise<MediaTokenResponse>)[];
let asked: number;

function audioWith(options: Partial<LiveCallAudioOptions> = {}) {
  const audio = new LiveCallAudio({
    serverUrl: 'http://127.0.0.1:3000',
    sends: 'supervisor',
    devices,
    openSocket: (url, events) => {
      const s = new ScriptedMediaSocket(url, events);
      sockets.push(s);
      return s;
    },
    mediaToken: () => {
      asked++;
      const next = tokens.shift();
      return next ? next() : Promise.resolve(token(asked));
    },
    now: () => 1000,
    ...options,
  });
  audio.start();
  return audio;
}

/** Lets promises settle and the publishing tick run. */
const settle = (ms = PUBLISH_EVERY_MS) => vi.advanceTimersByTimeAsync(ms);
const last = () => sockets.at(-1)!;

beforeEach(() => {
  vi.useFakeTimers();
  devices = new FakeDevices();
  sockets = [];
  tokens = [];
  asked = 0;
});
afterEach(() => {
  vi.useRealTimers();
});

describe('LiveCallAudio', () => {
  it('opens the socket with a token, then counts and plays what each track sends, and shows the PCI silence', async () => {
    const audio = audioWith();
    expect(audio.getState().link).toBe('connecting');
    await settle();
    expect(last().url).toBe('ws://127.0.0.1:3000/media?token=tok-1');
    last().open();
    expect(audio.getState().link).toBe('live');

    last().frame('customer', 0);
    last().frame('agent', 0);
    last().frame('customer', 1);
    last().events.message('a text message is not part of the protocol');
    last().events.message(new ArrayBuffer(12));
    await settle();
    expect(audio.getState()).toMatchObject({
      received: { customer: 2, agent: 1, supervisor: 0 },
      silenced: false,
      played: { customer: 4, agent: 0, supervisor: 0 },
      outputLevel: 0.125,
    });
    expect(devices.played).toEqual([
      ['customer', 0],
      ['agent', 0],
      ['customer', 1],
    ]);

    // The silence shows from the very frame that carries the flag, not at the next tick.
    last().frame('customer', 2, MEDIA_FRAME_FLAGS.SILENCED);
    expect(audio.getState().silenced).toBe(true);
    last().frame('customer', 3);
    expect(audio.getState().silenced).toBe(false);
    audio.close();
  });

  it('a supervisor’s microphone opens only when wanted; muted sends nothing; off releases the device', async () => {
    const audio = audioWith({ sendMicrophone: false });
    await settle();
    last().open();
    expect(devices.micOpened).toBe(0);
    expect(audio.getState().mic).toBe('off');

    audio.setSendMicrophone(true);
    await settle();
    expect(audio.getState().mic).toBe('on');
    devices.speak();
    devices.speak();
    audio.setMuted(true);
    devices.speak();
    await settle();
    expect(audio.getState()).toMatchObject({ sent: 2, muted: true, mic: 'on' });
    expect(audio.getState().micLevel).toBeCloseTo(0.1, 6);
    expect(last().sent).toHaveLength(2);

    audio.setSendMicrophone(false);
    expect(devices.micClosed).toBe(1);
    expect(audio.getState().mic).toBe('off');
    audio.close();
  });

  it('a refused microphone says why, and is asked again on request', async () => {
    devices.micRefusal = new DOMException('Permission denied', 'NotAllowedError');
    const audio = audioWith({ sendMicrophone: true });
    await settle();
    expect(audio.getState()).toMatchObject({
      mic: 'denied',
      micProblem: 'The browser blocks the microphone for this site: allow it (the icon in the address bar), then try again.',
    });
    devices.micRefusal = null;
    audio.retryMicrophone();
    await settle();
    expect(audio.getState()).toMatchObject({ mic: 'on', micProblem: null });
    expect(devices.micOpened).toBe(2);
    audio.close();
  });

  it('4000 ends the audio with the session’s end reason, and asks for no new token', async () => {
    const audio = audioWith({ sendMicrophone: true });
    await settle();
    last().open();
    last().serverCloses(4000, 'call-ended');
    await settle(20_000);
    expect(audio.getState()).toMatchObject({ link: 'ended', detail: 'call-ended', mic: 'off' });
    expect(asked).toBe(1);
    expect(devices.micClosed).toBe(1);
    audio.close();
  });

  it('4409: another tab took the audio; taking it back asks for a new token', async () => {
    const audio = audioWith();
    await settle();
    last().open();
    last().serverCloses(4409, 'replaced by a newer media socket');
    await settle(20_000);
    expect(audio.getState().link).toBe('replaced');
    expect(asked).toBe(1);
    audio.reconnect();
    await settle();
    expect(sockets).toHaveLength(2);
    expect(last().url).toBe('ws://127.0.0.1:3000/media?token=tok-2');
    last().open();
    expect(audio.getState().link).toBe('live');
    audio.close();
  });

  it('an unexpected close brings a new token and socket after 250 ms; a final refusal of the token stops', async () => {
    const audio = audioWith();
    await settle();
    last().open();
    last().serverCloses(1006);
    expect(audio.getState()).toMatchObject({ link: 'reconnecting', detail: 'The audio connection closed (1006)' });
    await vi.advanceTimersByTimeAsync(249);
    expect(asked).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(asked).toBe(2);
    last().open();
    expect(audio.getState().link).toBe('live');

    // Audio flowed on the new socket, so the next try waits 250 ms again.
    last().frame('customer', 0);
    last().serverCloses(1001, 'server closing');
    tokens.push(() => Promise.reject(new CodedError('NOT_FOUND', 'You are no longer on call call-1')));
    await settle(250);
    expect(audio.getState()).toMatchObject({ link: 'failed', detail: 'You are no longer on call call-1' });
    audio.close();
  });

  it('gives up after its last try, and counts tries afresh once audio flows again', async () => {
    const audio = audioWith({ retryDelaysMs: [10, 10] });
    await settle();
    last().open();
    last().frame('customer', 0);
    last().serverCloses(1011, 'internal error');
    await settle(10);
    last().serverCloses(1006);
    await settle(10);
    last().open();
    last().frame('customer', 1);
    last().serverCloses(1006);
    await settle(10);
    last().serverCloses(1006);
    await settle(10);
    last().serverCloses(1006);
    expect(audio.getState()).toMatchObject({ link: 'failed', detail: 'The audio connection was lost: The audio connection closed (1006)' });
    expect(asked).toBe(5);
    audio.close();
  });

  it('a token for another track than its own is not used', async () => {
    tokens.push(() => Promise.resolve(token(1, 'agent')));
    const audio = audioWith();
    await settle();
    expect(sockets).toHaveLength(0);
    expect(audio.getState()).toMatchObject({ link: 'failed', detail: 'The server gave a token for the agent track; this page sends supervisor' });
    audio.close();
  });

  it('close stops the socket, the microphone, the speaker and the devices; a late microphone is let go', async () => {
    let grant: () => void = () => {};
    devices.openMicrophone = async (onBlock) => {
      devices.micOpened++;
      await new Promise<void>((resolve) => (grant = resolve));
      devices.speakFrom = onBlock;
      return { close: () => void devices.micClosed++ };
    };
    const audio = audioWith({ sendMicrophone: true });
    await settle();
    last().open();
    audio.setVolume(0.4);
    expect(devices.speaker.volume).toBe(0.4);
    audio.close();
    grant();
    await settle();
    expect(last().closedByPage).toBe(true);
    expect(devices.speaker.closed).toBe(true);
    expect(devices.closed).toBe(true);
    expect(devices.micClosed).toBe(1);
  });
});
