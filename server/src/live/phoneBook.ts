import type { AgentPhoneState } from '@earshot/shared';
import { loggedOutState } from '../domain/phoneState.js';

/**
 * Every agent's phone state as the floor last set it, with the two lookups the floor needs without a scan:
 * the available agents in the order they became available, and which agent's phone holds a call.
 */
export class PhoneBook {
  private readonly phones = new Map<number, AgentPhoneState>();
  /** The available agents in the order they became available (the clock only moves on): longest first. */
  private readonly available = new Map<number, AgentPhoneState>();
  /** call id → the agent whose phone holds it: a recording action finds its call without a scan. */
  private readonly callHolders = new Map<string, number>();

  /** `openedAt`: when the floor opened; an agent not seen since has been logged out since then. */
  constructor(private readonly openedAt: () => number) {}

  phoneOf(userId: number): AgentPhoneState {
    return this.phones.get(userId) ?? loggedOutState(userId, this.openedAt());
  }

  /** The phone as set, or undefined for an agent the floor has not seen. */
  seen(userId: number): AgentPhoneState | undefined {
    return this.phones.get(userId);
  }

  all(): AgentPhoneState[] {
    return [...this.phones.values()];
  }

  userIds(): number[] {
    return [...this.phones.keys()];
  }

  /** Available agents, available longest first: what an ACD reads to offer the next call. */
  availableLongestFirst(): IterableIterator<AgentPhoneState> {
    return this.available.values();
  }

  /** The agent whose phone holds this call, if one does. */
  holderOf(callId: string): number | undefined {
    return this.callHolders.get(callId);
  }

  put(phone: AgentPhoneState): void {
    const held = this.phones.get(phone.userId)?.call?.callId;
    if (held !== undefined && held !== phone.call?.callId) this.callHolders.delete(held);
    if (phone.call) this.callHolders.set(phone.call.callId, phone.userId);
    this.phones.set(phone.userId, phone);
    if (phone.state !== 'available') this.available.delete(phone.userId);
    else if (this.available.get(phone.userId)?.since === phone.since) this.available.set(phone.userId, phone);
    else {
      // Newly available: to the end of the line.
      this.available.delete(phone.userId);
      this.available.set(phone.userId, phone);
    }
  }

  /** A user who is no longer on the floor (deleted): forgotten. */
  remove(userId: number): void {
    const held = this.phones.get(userId)?.call?.callId;
    if (held !== undefined) this.callHolders.delete(held);
    this.phones.delete(userId);
    this.available.delete(userId);
  }
}
