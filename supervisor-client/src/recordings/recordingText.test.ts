import { describe, expect, it } from 'vitest';
import { durationText, pausedSpansText } from './recordingText';

describe('recording text', () => {
  it('lists the PCI pauses in the recording’s own time, an open one with an ellipsis', () => {
    expect(pausedSpansText([])).toBe('None');
    expect(
      pausedSpansText([
        { fromMs: 12_400, toMs: 31_000 },
        { fromMs: 62_000, toMs: null },
      ]),
    ).toBe('0:12–0:31, 1:02–…');
  });

  it('a finished recording shows its length; one in progress says so', () => {
    expect(durationText({ endedAt: 1, durationMs: 65_020 })).toBe('1:05');
    expect(durationText({ endedAt: null, durationMs: 0 })).toBe('Recording…');
  });
});
