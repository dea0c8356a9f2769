import type { MediaTokenResponse } from '@earshot/shared';
import { describe, expect, it, vi } from 'vitest';
import { testCall } from '../sdk/testing/testCall.js';
import type { AudioDevices } from '@earshot/media-client';
import { BrowserCallAudio } from './browserCallAudio.js';

const call = testCall;

describe('BrowserCallAudio (the SDK’s CallAudio)', () => {
  it('streams the agent track for the connected call, and stops everything when that call ends', async () => {
    const opened: string[] = [];
    let socketsClosed = 0;
    let devicesClosed = 0;
    const devices = (): AudioDevices => ({
      openSpeaker: () => new Promise(() => {}),
      openMicrophone: () => new Promise(() => {}),
      close: () => void devicesClosed++,
    });
    const audio = new BrowserCallAudio({
      devices,
      openSocket: (url) => {
        opened.push(url);
        return { send: () => false, close: () => void socketsClosed++ };
      },
    });
    const changes = vi.fn();
    audio.subscribe(changes);
    const token: MediaTokenResponse = { token: 't1', expiresAt: 0, path: '/media', callId: 'c-1', sessionId: null, sends: 'agent' };

    audio.callConnected(call('c-1'), { url: 'https://earshot.example.com', mediaToken: async () => token });
    const current = audio.getCurrent()!;
    await vi.waitFor(() => expect(opened).toEqual(['wss://earshot.example.com/media?token=t1']));
    expect(current.getState()).toMatchObject({ link: 'connecting', mic: 'starting' });

    audio.callEnded('c-other');
    expect(audio.getCurrent()).toBe(current);
    audio.callEnded('c-1');
    expect(audio.getCurrent()).toBeNull();
    expect([socketsClosed, devicesClosed, changes.mock.calls.length]).toEqual([1, 1, 2]);
  });
});
