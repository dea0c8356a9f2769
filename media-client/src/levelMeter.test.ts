import { describe, expect, it } from 'vitest';
import { LevelMeter, levelText, meterFraction } from './levelMeter.js';

describe('LevelMeter', () => {
  it('reads the RMS of everything since the last reading, then starts over', () => {
    const m = new LevelMeter();
    m.add([0.5, -0.5]);
    m.add([0.5, -0.5]);
    expect(m.take()).toBe(0.5);
    expect(m.take()).toBe(0);
  });

  it('shows levels on a 60 dB bar, and as text with 4 decimals', () => {
    expect([meterFraction(1), meterFraction(0.1), meterFraction(0.001), meterFraction(0.0001), meterFraction(0)]).toEqual([1, 2 / 3, 0, 0, 0]);
    expect([levelText(0), levelText(0.123456), levelText(1)]).toEqual(['0', '0.1235', '1']);
  });
});
