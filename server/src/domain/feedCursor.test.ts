import { describe, expect, it } from 'vitest';
import { isQuiet, stepForEntry, stepForHeartbeat } from './feedCursor.js';

const at = (offset: number, epoch = 'e1') => ({ epoch, offset });

describe('reading an owner node’s feed', () => {
  it('applies the next offset only', () => {
    expect(stepForEntry(at(4), at(5))).toBe('apply');
    expect(stepForEntry(at(0), at(1))).toBe('apply');
  });

  it('skips what it already applied (a snapshot newer than the entries it read)', () => {
    expect(stepForEntry(at(5), at(5))).toBe('skip');
    expect(stepForEntry(at(9), at(3))).toBe('skip');
  });

  it('rebuilds from a snapshot past a gap, on a new epoch, and before it has any cursor', () => {
    expect(stepForEntry(at(4), at(6))).toBe('resnapshot');
    expect(stepForEntry(at(4), at(5, 'e2'))).toBe('resnapshot');
    expect(stepForEntry(at(4), at(1, 'e2'))).toBe('resnapshot');
    expect(stepForEntry(null, at(1))).toBe('resnapshot');
  });

  it('a heartbeat past the cursor shows a lost tail; one of another epoch a restart; one in line nothing', () => {
    expect(stepForHeartbeat(at(4), at(4))).toBe('skip');
    expect(stepForHeartbeat(at(4), at(3))).toBe('skip');
    expect(stepForHeartbeat(at(4), at(5))).toBe('resnapshot');
    expect(stepForHeartbeat(at(4), at(4, 'e2'))).toBe('resnapshot');
    expect(stepForHeartbeat(null, at(0))).toBe('resnapshot');
  });

  it('an owner is quiet after three heartbeats without a word', () => {
    expect(isQuiet(1000, 4000, 1000)).toBe(false);
    expect(isQuiet(1000, 4001, 1000)).toBe(true);
  });
});
