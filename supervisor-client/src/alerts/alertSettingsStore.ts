import { effectiveThresholds, type Ack, type AlertSettings, type AlertSignals, type AlertThresholds, type OwnThresholds } from '@earshot/shared';
import type { LiveConnection } from '../live/connection';
import { Store } from '../live/store';

/**
 * The user's alert settings: the administrator's defaults, their own tighter values, the thresholds that
 * follow, and how new alerts are signalled. Null until read (or without the rights to read them).
 */
export class AlertSettingsStore extends Store<AlertSettings | null> {
  constructor(private readonly connection: LiveConnection) {
    super(null);
    connection.on('alerts:settings', (settings) => this.set(settings));
    // The defaults changed: the user's own values stay, under the new defaults.
    connection.on('alerts:defaults', ({ defaults }) => {
      const current = this.get();
      if (current) this.set({ ...current, defaults, effective: effectiveThresholds(defaults, current.own) });
    });
  }

  async refresh(): Promise<void> {
    const ack = await this.connection.request('alerts:get', {});
    this.set(ack.ok ? ack.data : null);
  }

  clear(): void {
    this.set(null);
  }

  async setDefaults(thresholds: AlertThresholds): Promise<Ack<unknown>> {
    const ack = await this.connection.request('alerts:setDefaults', { thresholds });
    const current = this.get();
    if (ack.ok && current) this.set({ ...current, defaults: ack.data.defaults, effective: effectiveThresholds(ack.data.defaults, current.own) });
    return ack;
  }

  async setMine(change: { own?: OwnThresholds; signals?: AlertSignals }): Promise<Ack<unknown>> {
    const ack = await this.connection.request('alerts:setMine', change);
    if (ack.ok) this.set(ack.data);
    return ack;
  }
}
