import { MEDIA_FRAME_SAMPLES, type MediaTrack } from '@earshot/shared';
import type { AudioDevices, MediaSocketEvents, Microphone, Speaker } from '@earshot/media-client';
import { ScriptedMediaSocket } from '@earshot/media-client/testing';
import { act } from '@testing-library/react';
import type { AudioBackend } from '../supervision/audioBackend';

/**
 * The sessions' audio without a browser: sockets the test drives, a speaker that keeps what it was given,
 * and a microphone the test grants or refuses, and speaks into.
 */
export class ScriptedAudio implements AudioBackend {
  readonly sockets: ScriptedMediaSocket[] = [];
  readonly played: [MediaTrack, number][] = [];
  micOpened = 0;
  micClosed = 0;
  micRefusal: Error | null = null;
  private speak: ((block: Float32Array) => void) | null = null;

  readonly openSocket = (url: string, events: MediaSocketEvents) => {
    const socket = new ScriptedMediaSocket(url, events, (deliver) => act(deliver));
    this.sockets.push(socket);
    return socket;
  };

  readonly devices = (): AudioDevices => ({
    openSpeaker: async (): Promise<Speaker> => ({
      play: (track, seq) => void this.played.push([track, seq]),
      setVolume: () => undefined,
      stats: null,
      blocked: false,
      resume: async () => undefined,
      close: () => undefined,
    }),
    openMicrophone: async (onBlock): Promise<Microphone> => {
      this.micOpened++;
      if (this.micRefusal) throw this.micRefusal;
      this.speak = onBlock;
      return { close: () => void this.micClosed++ };
    },
    close: () => undefined,
  });

  /** 20 ms of voice into the microphone. */
  speakFrame(): void {
    act(() => this.speak?.(new Float32Array(MEDIA_FRAME_SAMPLES).fill(0.2)));
  }

  get socket(): ScriptedMediaSocket {
    return this.sockets.at(-1)!;
  }
}
