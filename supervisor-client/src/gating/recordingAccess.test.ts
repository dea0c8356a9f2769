import { describe, expect, it } from 'vitest';
import { custom, rightsOf } from '../testing/fixtures';
import { recordingControls } from './recordingAccess';

const done = { endedAt: Date.UTC(2026, 10, 22, 9, 5) };
const labels = (controls: ReturnType<typeof recordingControls>) => controls.map((c) => c.label);

describe('recordingControls: each control only with its right', () => {
  it('a Manager plays, exports and deletes', () => {
    expect(labels(recordingControls(rightsOf('manager'), done))).toEqual(['Play', 'Export', 'Delete']);
  });

  it('a Privileged User (own playback) plays, and neither exports nor deletes', () => {
    expect(labels(recordingControls(rightsOf('privilegedUser'), done))).toEqual(['Play']);
  });

  it('an Agent profile has no recording control at all', () => {
    expect(recordingControls(rightsOf('agent'), done)).toEqual([]);
  });

  it('export alone, or delete alone, show alone', () => {
    expect(labels(recordingControls(custom(['recording.export']), done))).toEqual(['Export']);
    expect(labels(recordingControls(custom(['recording.delete']), done))).toEqual(['Delete']);
  });

  it('a recording in progress shows the held controls disabled, with the reason', () => {
    expect(recordingControls(custom(['recording.playback', 'recording.delete']), { endedAt: null })).toEqual([
      { action: 'play', label: 'Play', enabled: false, reason: 'The call is still being recorded' },
      { action: 'delete', label: 'Delete', enabled: false, reason: 'The call is still being recorded' },
    ]);
  });
});
