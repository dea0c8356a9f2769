import type { Duplex } from 'node:stream';

/** Written after a slow socket's frames: its callback runs once everything written before it is with the kernel. */
const NOTHING = Buffer.alloc(0);

/**
 * The frames one listener is sent in one turn of the event loop (both tracks of a step come together) leave
 * in one write to the kernel, not one each: the socket under the WebSocket is corked until the turn's end.
 * `ws` keeps that socket to itself (`_socket`); without it, each frame is written on its own. One callback
 * at the turn's end uncorks every socket corked in it, not one callback per socket.
 *
 * The frames are written without a callback of their own, and the consumer is told they were written
 * (`FrameSocket.send`'s `done`) when the turn's write is over: at once when the kernel took everything (a
 * listener that keeps up), or after the bytes still buffered when it did not. A callback per frame cost a
 * completion, a deferred tick and a closure call for every frame of every listener: about 4 % of the
 * server's CPU samples in a profile at 500 monitored calls.
 */
export class TurnWrites {
  /** The completions of the frames written since the last turn's end, in order. */
  private pending: ((err?: Error) => void)[] = [];
  /** Earlier turns' completions, behind bytes the kernel had not taken at their turn's end. */
  private readonly behind = new Set<((err?: Error) => void)[]>();
  private corked = false;
  private failed: Error | null = null;

  constructor(private readonly raw: Duplex) {
    raw.once('close', () => this.fail(new Error('the media socket closed')));
  }

  /** A frame (or a probe) is about to be written; `done`, when given, is told once it is with the kernel. */
  wrote(done?: (err?: Error) => void): void {
    if (this.failed) {
      const failed = this.failed;
      if (done) queueMicrotask(() => done(failed));
      return;
    }
    if (done) this.pending.push(done);
    if (this.corked) return;
    this.corked = true;
    if (corkedThisTurn.length === 0) process.nextTick(uncorkTheTurn);
    corkedThisTurn.push(this);
    this.raw.cork();
  }

  /** The turn is over: its frames go to the kernel in one write, and their completions follow it. */
  uncork(): void {
    this.corked = false;
    this.raw.uncork();
    if (this.pending.length === 0 || this.failed) return;
    const written = this.pending;
    this.pending = [];
    if (this.raw.writableLength === 0) return settle(written);
    // Behind bytes the kernel has not taken yet: told once those are written, in order.
    this.behind.add(written);
    this.raw.write(NOTHING, (err?: Error | null) => {
      if (this.behind.delete(written)) settle(written, err ?? undefined);
    });
  }

  private fail(err: Error): void {
    this.failed = err;
    const waiting = [...this.behind, this.pending];
    this.behind.clear();
    this.pending = [];
    for (const written of waiting) settle(written, err);
  }
}

function settle(written: ((err?: Error) => void)[], err?: Error): void {
  for (const done of written) done(err);
}

let corkedThisTurn: TurnWrites[] = [];
const uncorkTheTurn = () => {
  const turn = corkedThisTurn;
  corkedThisTurn = [];
  for (const writes of turn) writes.uncork();
};
