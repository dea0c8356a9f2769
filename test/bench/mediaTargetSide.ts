/**
 * What both media targets (the Earshot server's bench platform and the bare relay) do alike on their side
 * of the feed: answer the runner's requests, and measure the supervisors' voices that come back (coach)
 * and their own event loop over the measured window.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { WebSocket } from 'ws';
import { LatencyHistogram, monotonicUs } from './latencyHistogram.js';
import { counterGrowth, readStampedSamples, type CounterTree, type FeedCall, type FeedReply, type FeedRequest, type TargetMediaStats } from './mediaFeed.js';

export class TargetSide {
  private readonly coachBack = new LatencyHistogram();
  private coachBackFrames = 0;
  private coachBackBroken = 0;
  private window = { fromUs: Infinity, toUs: Infinity };
  private loop: IntervalHistogram | null = null;
  /** The media counters as the measured window began and as it ended. */
  private countersAt: { start: CounterTree | null; end: CounterTree | null } = { start: null, end: null };

  constructor(
    private readonly setUpCalls: (calls: FeedCall[]) => { ready: number; errors: string[] },
    private readonly mediaCounters: () => CounterTree = () => ({}),
  ) {}

  /** A supervisor's frame reached the target: its samples (320 bytes) carry the load generator's stamp. */
  supervisorFrame(samples: Uint8Array): void {
    const recvUs = monotonicUs();
    const r = readStampedSamples(new DataView(samples.buffer, samples.byteOffset, samples.byteLength), 0, false);
    if (!r.ok) {
      this.coachBackBroken++;
      return;
    }
    if (r.stamp.sendUs < this.window.fromUs || r.stamp.sendUs >= this.window.toUs) return;
    this.coachBackFrames++;
    this.coachBack.add(recvUs - r.stamp.sendUs);
  }

  /** A JSON request on the feed socket, answered on it. */
  request(ws: WebSocket, text: string): void {
    const req = JSON.parse(text) as FeedRequest;
    const reply = (r: FeedReply) => ws.send(JSON.stringify(r));
    switch (req.type) {
      case 'calls':
        return reply({ type: 'calls', ...this.setUpCalls(req.calls) });
      case 'window': {
        this.window = { fromUs: req.fromUs, toUs: req.toUs };
        // The event loop is watched over the measured window only.
        const startIn = Math.max(0, (req.fromUs - monotonicUs()) / 1000);
        setTimeout(() => {
          this.loop = monitorEventLoopDelay({ resolution: 5 });
          this.loop.enable();
          this.countersAt = { start: this.mediaCounters(), end: null };
          setTimeout(
            () => {
              this.loop?.disable();
              this.countersAt.end = this.mediaCounters();
            },
            Math.max(0, (req.toUs - req.fromUs) / 1000),
          ).unref();
        }, startIn).unref();
        return reply({ type: 'window' });
      }
      case 'stats': {
        const loop = this.loop;
        const stats: TargetMediaStats = {
          coachBack: this.coachBack.toData(),
          coachBackFrames: this.coachBackFrames,
          coachBackBroken: this.coachBackBroken,
          loopDelayP99Ms: loop ? loop.percentile(99) / 1e6 : NaN,
          loopDelayMaxMs: loop ? loop.max / 1e6 : NaN,
          media: this.mediaCounters(),
          mediaInWindow: this.countersAt.start ? counterGrowth(this.countersAt.end ?? this.mediaCounters(), this.countersAt.start) : {},
        };
        return reply({ type: 'stats', stats });
      }
    }
  }
}
