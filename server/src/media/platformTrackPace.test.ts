import { describe, expect, it } from 'vitest';
import { LATE_AFTER_MS, MAX_AHEAD_FRAMES, MAX_OWED_FRAMES, PlatformTrackPace } from './platformTrackPace.js';

describe('PlatformTrackPace', () => {
  it('numbers the frames as they arrive, and asks for no silence while they keep coming', () => {
    const pace = new PlatformTrackPace(true);
    pace.restart(0);
    const seqs: (number | null)[] = [];
    for (let t = 0; t < 200; t += 20) {
      seqs.push(pace.arrived(t + 7));
      expect(pace.step(t + 20)).toBeNull();
    }
    expect(seqs).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(pace.fillers).toBe(0);
  });

  it('lets a frame be up to the deadline late before silence stands in for it', () => {
    const pace = new PlatformTrackPace(true);
    pace.arrived(0);
    expect(pace.step(LATE_AFTER_MS - 1)).toBeNull();
    expect(pace.step(LATE_AFTER_MS)).toBe(1);
    // The late frame, when it comes, takes the next number: the listener hears silence, then it.
    expect(pace.arrived(LATE_AFTER_MS + 5)).toBe(2);
  });

  it('sends one silent frame a step while the track stalls, never a burst after a long gap', () => {
    const pace = new PlatformTrackPace(true);
    pace.arrived(0);
    // The clock catches up several steps at once after a stall: one filler, not five.
    expect([1000, 1000, 1000].map((t) => pace.step(t))).toEqual([1, null, null]);
    expect([1019, 1020, 1040].map((t) => pace.step(t))).toEqual([null, 2, 3]);
    expect(pace.fillers).toBe(3);
  });

  it('is never late before its first frame when the platform may not carry it, nor before the platform (re)starts pushing', () => {
    const agent = new PlatformTrackPace(false);
    expect(agent.step(10_000)).toBeNull();
    const customer = new PlatformTrackPace(true);
    customer.restart(10_000);
    expect(customer.step(10_000 + LATE_AFTER_MS - 1)).toBeNull();
    expect(customer.step(10_000 + LATE_AFTER_MS)).toBe(0);
  });

  it('drops the frames that run more than MAX_AHEAD_FRAMES ahead of the clock, and forwards again as its steps come', () => {
    const pace = new PlatformTrackPace(true);
    pace.restart(0);
    // A stall: the clock did not step while a second of frames piled up, and they arrive at once.
    const burst = Array.from({ length: 50 }, () => pace.arrived(1000));
    expect(burst.filter((s) => s !== null)).toEqual(Array.from({ length: MAX_AHEAD_FRAMES }, (_, i) => i));
    expect(pace.dropped).toBe(50 - MAX_AHEAD_FRAMES);
    pace.step(1000);
    expect([pace.arrived(1005), pace.arrived(1006)]).toEqual([MAX_AHEAD_FRAMES, null]);
  });

  it('owes the track the frames of the time the clock skipped, not only one per step', () => {
    const pace = new PlatformTrackPace(true);
    pace.restart(0);
    pace.step(0);
    for (let i = 0; i < MAX_AHEAD_FRAMES; i++) pace.arrived(0);
    expect(pace.arrived(0)).toBeNull();
    // One step 60 ms later (the two steps between were skipped): three frames may go on.
    pace.step(60);
    const after = Array.from({ length: 5 }, () => pace.arrived(60));
    expect(after.filter((s) => s !== null)).toHaveLength(3);
  });

  /** A track on the clock: a step at 0, its first frame at 5 ms. */
  const onTheClock = () => {
    const pace = new PlatformTrackPace(true);
    pace.restart(0);
    pace.step(0);
    expect(pace.arrived(5)).toBe(0);
    return pace;
  };

  it('forwards the frames that waited through a short stall of this process: the overdue step owes them', () => {
    const pace = onTheClock();
    // This process stalls from 10 to 150 ms: the platform's frames of 20 to 140 ms arrive together, before
    // the clock's overdue step (it runs after the sockets' reads).
    const held = Array.from({ length: 7 }, () => pace.arrived(150));
    expect(held).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(pace.dropped).toBe(0);
    expect(pace.step(150)).toBeNull();
    expect(pace.arrived(165)).toBe(8);
    expect(pace.arrived(185)).toBe(9);
  });

  it('still drops the oldest frames of a longer stall: what is left of the allowance, and MAX_OWED_FRAMES more, go on', () => {
    const pace = onTheClock();
    // 400 ms: twenty frames wait.
    const held = Array.from({ length: 20 }, () => pace.arrived(405));
    expect(held.filter((s) => s !== null)).toHaveLength(MAX_AHEAD_FRAMES - 1 + MAX_OWED_FRAMES);
    expect(pace.dropped).toBe(20 - (MAX_AHEAD_FRAMES - 1 + MAX_OWED_FRAMES));
    // The step that comes pays the time back: the track is on the clock again, not owed a burst.
    pace.step(405);
    const next = Array.from({ length: 8 }, () => pace.arrived(410));
    expect(next.filter((s) => s !== null)).toHaveLength(MAX_AHEAD_FRAMES);
  });
});
