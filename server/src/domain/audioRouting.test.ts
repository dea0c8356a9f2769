import type { SupervisionMode } from '@earshot/shared';
import { describe, expect, it } from 'vitest';
import { callRoutingMode, recordedChannels, tracksHeardBy, type Listener, type Track } from './audioRouting.js';

const sorted = (tracks: ReadonlySet<Track>) => [...tracks].sort();

/**
 * docs/architecture.md "Media plane", copied as written:
 *
 * | listener | monitor | coach | barge | take over |
 * |---|---|---|---|---|
 * | supervisor | customer + agent | customer + agent | customer + agent | customer |
 * | agent | customer | customer + supervisor | customer + supervisor | nothing |
 * | customer | agent | agent | agent + supervisor | supervisor |
 */
const TABLE: [Listener, SupervisionMode, Track[]][] = [
  ['supervisor', 'monitor', ['customer', 'agent']],
  ['supervisor', 'coach', ['customer', 'agent']],
  ['supervisor', 'barge', ['customer', 'agent']],
  ['supervisor', 'takeOver', ['customer']],
  ['agent', 'monitor', ['customer']],
  ['agent', 'coach', ['customer', 'supervisor']],
  ['agent', 'barge', ['customer', 'supervisor']],
  ['agent', 'takeOver', []],
  ['customer', 'monitor', ['agent']],
  ['customer', 'coach', ['agent']],
  ['customer', 'barge', ['agent', 'supervisor']],
  ['customer', 'takeOver', ['supervisor']],
];

describe('tracksHeardBy', () => {
  it.each(TABLE)('%s in %s hears %j', (listener, mode, tracks) => {
    expect(sorted(tracksHeardBy(listener, mode, { pciPaused: false }))).toEqual([...tracks].sort());
  });

  it('without supervision: agent and customer hear each other, no supervisor is routed anything', () => {
    expect(sorted(tracksHeardBy('agent', null, { pciPaused: false }))).toEqual(['customer']);
    expect(sorted(tracksHeardBy('customer', null, { pciPaused: false }))).toEqual(['agent']);
    expect(sorted(tracksHeardBy('supervisor', null, { pciPaused: false }))).toEqual([]);
  });

  it('PCI pause: monitoring and coaching supervisors hear silence; barge and take over keep their audio', () => {
    const opts = { pciPaused: true };
    expect(sorted(tracksHeardBy('supervisor', 'monitor', opts))).toEqual([]);
    expect(sorted(tracksHeardBy('supervisor', 'coach', opts))).toEqual([]);
    expect(sorted(tracksHeardBy('supervisor', 'barge', opts))).toEqual(['agent', 'customer']);
    expect(sorted(tracksHeardBy('supervisor', 'takeOver', opts))).toEqual(['customer']);
  });

  it('PCI pause does not change what the agent and the customer hear', () => {
    for (const [listener, mode, tracks] of TABLE.filter(([l]) => l !== 'supervisor')) {
      expect(sorted(tracksHeardBy(listener, mode, { pciPaused: true }))).toEqual([...tracks].sort());
    }
  });
});

describe('callRoutingMode', () => {
  const sessionsIn = (...modes: SupervisionMode[]) => modes.map((mode) => ({ mode }));
  it('the heard supervisor decides; else monitor; else none', () => {
    expect(callRoutingMode([])).toBe(null);
    expect(callRoutingMode(sessionsIn('monitor', 'monitor'))).toBe('monitor');
    expect(callRoutingMode(sessionsIn('monitor', 'coach'))).toBe('coach');
    expect(callRoutingMode(sessionsIn('barge', 'monitor'))).toBe('barge');
    expect(callRoutingMode(sessionsIn('monitor', 'takeOver'))).toBe('takeOver');
  });
});

describe('recordedChannels', () => {
  // "customer on the left; agent (and barging or taking-over supervisor) on the right;
  //  coaching audio is never mixed into the customer's side"
  it.each<[SupervisionMode | null, Track[], Track[]]>([
    [null, ['customer'], ['agent']],
    ['monitor', ['customer'], ['agent']],
    ['coach', ['customer'], ['agent']],
    ['barge', ['customer'], ['agent', 'supervisor']],
    ['takeOver', ['customer'], ['supervisor']],
  ])('%s: left %j, right %j', (mode, left, right) => {
    const c = recordedChannels(mode);
    expect(sorted(c.left)).toEqual(left);
    expect(sorted(c.right)).toEqual(right);
  });
});
