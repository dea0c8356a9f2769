import { describe, expect, it } from 'vitest';
import { MediaConsumer, type FrameSocket } from './mediaConsumer.js';

/** A socket whose writes complete only when the test says so. */
class StalledSocket implements FrameSocket {
  readonly written: number[] = [];
  readonly pending: ((err?: Error) => void)[] = [];
  closedWith: [number, string] | null = null;

  send(frame: Uint8Array, done: (err?: Error) => void): void {
    this.written.push(frame[0]!);
    this.pending.push(done);
  }

  close(code: number, reason: string): void {
    this.closedWith = [code, reason];
  }

  complete(n: number): void {
    for (const done of this.pending.splice(0, n)) done();
  }
}

const frame = (n: number) => Uint8Array.of(n);
const limits = { maxInFlight: 2, maxQueued: 3, maxDropsBeforeClose: 4 };

describe('MediaConsumer backpressure', () => {
  it('sends at once while the socket keeps up', () => {
    const socket = new StalledSocket();
    const consumer = new MediaConsumer(socket, limits);
    for (let n = 0; n < 10; n++) {
      consumer.push(frame(n));
      socket.complete(1);
    }
    expect(socket.written).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(consumer.dropped).toBe(0);
  });

  it('queues behind the writes in flight, drops the stalest when the queue is full, and sends the freshest when it drains', () => {
    const socket = new StalledSocket();
    const consumer = new MediaConsumer(socket, limits);
    for (let n = 0; n < 7; n++) consumer.push(frame(n));
    // 0 and 1 in flight; 2..6 waited, the queue holds 3: 2 and 3 were dropped as stale.
    expect(socket.written).toEqual([0, 1]);
    expect(consumer.dropped).toBe(2);
    socket.complete(2);
    expect(socket.written).toEqual([0, 1, 4, 5]);
    socket.complete(2);
    expect(socket.written).toEqual([0, 1, 4, 5, 6]);
    expect(socket.closedWith).toBeNull();
  });

  it('closes a consumer that stays too slow (4408), counting drops since the queue last ran empty', () => {
    const socket = new StalledSocket();
    let tooSlow = 0;
    const consumer = new MediaConsumer(socket, limits, () => tooSlow++);
    for (let n = 0; n < 8; n++) consumer.push(frame(n)); // 3 drops
    socket.complete(2); // drains: 2 written, 1 left in the queue
    socket.complete(2); // the queue ran empty: the count starts again
    for (let n = 8; n < 15; n++) consumer.push(frame(n)); // 1 written, 3 queued, 3 dropped
    expect(socket.closedWith).toBeNull();
    consumer.push(frame(15));
    expect(socket.closedWith).toEqual([4408, 'too slow: 4 frames dropped in a row']);
    expect(tooSlow).toBe(1);
    const written = socket.written.length;
    consumer.push(frame(16));
    socket.complete(10);
    expect(socket.written.length).toBe(written);
  });

  it('a failed write means the socket is gone: nothing more is sent or closed', () => {
    const socket = new StalledSocket();
    const consumer = new MediaConsumer(socket, limits);
    consumer.push(frame(0));
    socket.pending.shift()!(new Error('closed'));
    consumer.push(frame(1));
    expect(socket.written).toEqual([0]);
    expect(consumer.isClosed).toBe(true);
    expect(socket.closedWith).toBeNull();
  });
});
