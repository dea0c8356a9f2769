import { describe, expect, it } from 'vitest';
import { SPY_OF_TRACK, whisperOfMode, WHISPER_TRACK } from './snoopPlan.js';

describe('snoop plan', () => {
  it('takes the agent track from spy=in and the customer track from spy=out', () => {
    expect(SPY_OF_TRACK).toEqual({ agent: 'in', customer: 'out' });
  });

  it('whispers to the agent only when coaching, to both when barging, to nobody otherwise', () => {
    expect(whisperOfMode('coach')).toBe('out');
    expect(whisperOfMode('barge')).toBe('both');
    expect(whisperOfMode('monitor')).toBe('none');
    expect(whisperOfMode('takeOver')).toBe('none');
    expect(whisperOfMode(null)).toBe('none');
    expect(WHISPER_TRACK).toBe('customer');
  });
});
