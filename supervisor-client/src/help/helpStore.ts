import type { Ack, HelpRequestView } from '@earshot/shared';
import type { LiveConnection } from '../live/connection';
import { Store } from '../live/store';

/**
 * The open help requests of agents in scope: raised, then acknowledged by the first supervisor who answers;
 * an ended one (cancelled, its call over, its supervisor gone, its agent logged out) leaves the list.
 */
export class HelpStore extends Store<readonly HelpRequestView[]> {
  constructor(private readonly connection: LiveConnection) {
    super([]);
    connection.on('help:update', (help) => this.upsert(help));
  }

  async refresh(): Promise<void> {
    const ack = await this.connection.request('help:list', {});
    if (ack.ok) this.set(ack.data.requests);
  }

  clear(): void {
    this.set([]);
  }

  async acknowledge(helpId: string): Promise<Ack<unknown>> {
    const ack = await this.connection.request('help:ack', { helpId });
    if (ack.ok) this.upsert(ack.data.help);
    return ack;
  }

  private upsert(help: HelpRequestView): void {
    const others = this.get().filter((h) => h.helpId !== help.helpId);
    this.set(help.endedAt === null ? [...others, help] : others);
  }
}
