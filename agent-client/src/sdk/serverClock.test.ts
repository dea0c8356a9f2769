import { describe, expect, it } from 'vitest';
import { ServerClock } from './serverClock.js';

describe('ServerClock', () => {
  it('is the local clock until a fresh server timestamp is seen', () => {
    const clock = new ServerClock(() => 5_000);
    expect(clock.now()).toBe(5_000);
  });

  it('takes the tightest lower bound of the offset: the least delayed message wins', () => {
    let local = 100_000;
    const clock = new ServerClock(() => local);
    // The server is 40 s behind; this message took 300 ms to arrive.
    clock.observe(60_000 - 300);
    expect(clock.now()).toBe(59_700);
    local = 110_000;
    // Arrived after 20 ms: a tighter bound.
    clock.observe(70_000 - 20);
    expect(clock.now()).toBe(69_980);
    local = 120_000;
    // A slower message does not loosen it.
    clock.observe(80_000 - 900);
    expect(clock.now()).toBe(79_980);
  });
});
