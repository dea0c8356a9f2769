import type { AgentPhoneState, TakenOverCallView } from '@earshot/shared';
import { describe, expect, it } from 'vitest';
import { MirroredPhones } from './mirroredPhones.js';

const phone = (userId: number, state: AgentPhoneState['state'], since = 1000): AgentPhoneState => ({ userId, state, notReadyReason: null, since, call: null });
const takenOver = (agentId: number, callId: string): TakenOverCallView => ({
  call: { callId, direction: 'inbound', remoteNumberMasked: '+1••••0000', queue: 'Sales', startedAt: 0, recording: 'off', supervisions: [] },
  agentId,
  supervisorId: 1,
  since: 0,
});

describe('the phones other nodes own', () => {
  it('shows each agent’s phone from the owner that published it last, and another owner’s once that one lets go', () => {
    const m = new MirroredPhones();
    m.put('B', phone(7, 'available'));
    expect(m.phoneOf(7)).toEqual(phone(7, 'available'));
    expect(m.ownerOf(7)).toBe('B');
    // Re-homed to C: both hold the agent for a moment; C spoke last.
    m.put('C', phone(7, 'notReady', 2000));
    expect(m.ownerOf(7)).toBe('C');
    m.remove('C', 7);
    expect([m.ownerOf(7), m.phoneOf(7)?.state]).toEqual(['B', 'available']);
    m.remove('B', 7);
    expect([m.ownerOf(7), m.phoneOf(7)]).toEqual([undefined, undefined]);
  });

  it('a snapshot replaces everything of its owner and names every agent whose row or taken-over call it may have changed', () => {
    const m = new MirroredPhones();
    m.put('B', phone(7, 'available'));
    m.put('B', phone(8, 'available'));
    m.put('C', phone(9, 'available'));
    m.setTakenOver('B', [takenOver(10, 'call-1')]);
    expect([...m.replace('B', [phone(8, 'notReady'), phone(11, 'available')], [])].sort()).toEqual([10, 11, 7, 8]);
    expect([m.phoneOf(7), m.phoneOf(8)?.state, m.phoneOf(9)?.state, m.phoneOf(11)?.state]).toEqual([undefined, 'notReady', 'available', 'available']);
    expect(m.takenOver()).toEqual([]);
  });

  it('an owner dropped takes its phones and taken-over calls with it, and no other owner’s', () => {
    const m = new MirroredPhones();
    m.put('B', phone(7, 'available'));
    m.put('C', phone(9, 'available'));
    m.setTakenOver('B', [takenOver(10, 'call-1')]);
    m.setTakenOver('C', [takenOver(12, 'call-2')]);
    expect([...m.drop('B')].sort()).toEqual([10, 7]);
    expect([m.phoneOf(7), m.phoneOf(9)?.state]).toEqual([undefined, 'available']);
    expect(m.takenOver().map((t) => t.call.callId)).toEqual(['call-2']);
  });
});
