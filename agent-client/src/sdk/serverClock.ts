/**
 * Server time as seen from this machine. Every time on the wire (`since`, `at`, `startedAt`) is server
 * time (docs/architecture.md "Phone state"), and an agent's PC clock can be minutes off, so timers count from
 * an estimate of the server's clock rather than from the local one.
 *
 * The estimate: a timestamp the server stamped just before sending it is at most the server's time at
 * arrival, so `timestamp - localNow` is a lower bound of the offset, tight up to the message's latency.
 * The largest bound seen is the estimate. Only fresh stamps are observed (a notice's `at`, the `since`
 * of a state the phone just entered): an old `since` from a resync would drag the estimate down by its age.
 */
export class ServerClock {
  private offsetMs: number | null = null;

  constructor(private readonly localNow: () => number = Date.now) {}

  /** A timestamp the server stamped right before sending it. */
  observe(serverTimestamp: number): void {
    const bound = serverTimestamp - this.localNow();
    if (this.offsetMs === null || bound > this.offsetMs) this.offsetMs = bound;
  }

  /** The server's time now; the local time until a fresh timestamp was seen. */
  now(): number {
    return this.localNow() + (this.offsetMs ?? 0);
  }
}
