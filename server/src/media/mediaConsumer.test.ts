import { describe, expect, it } from 'vitest';
import { encodeFrame } from '@earshot/shared';
import { MediaConsumer, PROBE_EVERY_FRAMES, type FrameSocket } from './mediaConsumer.js';

/** A socket whose writes complete only when the test says so. */
class StalledSocket implements FrameSocket {
  readonly written: number[] = [];
  readonly pending: ((err?: Error) => void)[] = [];
  closedWith: [number, string] | null = null;

  send(frame: Uint8Array, done: (err?: Error) => void): void {
    this.written.push(frame[0]!);
    this.pending.push(done);
  }

  readonly probes: Uint8Array[] = [];

  probe(mark: Uint8Array): void {
    this.probes.push(mark);
  }

  close(code: number, reason: string): void {
    this.closedWith = [code, reason];
  }

  complete(n: number): void {
    for (const done of this.pending.splice(0, n)) done();
  }
}

const frame = (n: number) => Uint8Array.of(n);
const limits = { maxInFlight: 2, maxQueued: 3, maxDropsBeforeClose: 4, maxUnreadPerTrack: 1000 };

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

describe('MediaConsumer: audio the client has not read', () => {
  const customer = (n: number) => encodeFrame({ track: 'customer', seq: n, timestamp: 0, samples: new Int16Array(160) });
  const agent = (n: number) => encodeFrame({ track: 'agent', seq: n, timestamp: 0, samples: new Int16Array(160) });
  const unread = { maxInFlight: 8, maxQueued: 16, maxDropsBeforeClose: 500, maxUnreadPerTrack: 50 };

  it('every 25th frame written carries a probe counting the frames of each track written so far', () => {
    expect(PROBE_EVERY_FRAMES).toBe(25);
    const socket = new StalledSocket();
    const consumer = new MediaConsumer(socket, unread);
    for (let n = 0; n < 24; n++) {
      consumer.push(n % 2 === 0 ? customer(n) : agent(n));
      socket.complete(1);
    }
    expect(socket.probes).toHaveLength(0);
    for (let n = 24; n < 25; n++) {
      consumer.push(n % 2 === 0 ? customer(n) : agent(n));
      socket.complete(1);
    }
    expect(socket.probes).toHaveLength(1);
    const mark = new DataView(socket.probes[0]!.buffer);
    expect([mark.getUint32(0, true), mark.getUint32(4, true), mark.getUint32(8, true)]).toEqual([13, 12, 0]);
  });

  it('a client that answers its probes keeps up indefinitely, whatever the kernel buffers', () => {
    const socket = new StalledSocket();
    let tooSlow = 0;
    const consumer = new MediaConsumer(socket, unread, () => tooSlow++);
    for (let n = 0; n < 1000; n++) {
      consumer.push(customer(n));
      consumer.push(agent(n));
      socket.complete(2);
      for (const mark of socket.probes.splice(0)) consumer.answered(mark);
    }
    expect(socket.closedWith).toBeNull();
    expect(tooSlow).toBe(0);
  });

  it('a client that stops reading is closed 4408 once a second of a track is written and unread, though every write completed', () => {
    const socket = new StalledSocket();
    const reasons: string[] = [];
    const consumer = new MediaConsumer(socket, unread, (reason) => reasons.push(reason));
    for (let n = 0; n < 25; n++) {
      consumer.push(customer(n));
      socket.complete(1);
    }
    // It read everything up to the last probe answered, then stopped reading: its kernel takes every write.
    for (const mark of socket.probes.splice(0)) consumer.answered(mark);
    for (let n = 25; n < 75; n++) {
      consumer.push(customer(n));
      socket.complete(1);
    }
    // 50 frames (a second) written since what it read: the 51st is not written, the consumer is closed.
    expect(socket.closedWith).toBeNull();
    consumer.push(customer(75));
    socket.complete(1);
    expect(socket.closedWith).toEqual([4408, 'too slow: 1000 ms of customer audio sent and not read']);
    expect(reasons).toEqual(['too slow: 1000 ms of customer audio sent and not read']);
    expect(socket.written).toHaveLength(75);
  });

  it('an answer claiming more than was written is ignored', () => {
    const socket = new StalledSocket();
    const consumer = new MediaConsumer(socket, unread);
    const lie = new Uint8Array(12);
    new DataView(lie.buffer).setUint32(0, 1_000_000, true);
    consumer.answered(lie);
    for (let n = 0; n < 51; n++) {
      consumer.push(customer(n));
      socket.complete(1);
    }
    expect(socket.closedWith?.[0]).toBe(4408);
  });
});
