import type { MeRights } from '@earshot/shared';
import type { LiveConnection } from './connection';
import { Store } from './store';

/** The user's effective rights: from the login, then from every `me:rights` push (rights change without reload). */
export class RightsStore extends Store<MeRights> {
  constructor(initial: MeRights, connection: LiveConnection) {
    super(initial);
    connection.on('me:rights', (rights) => this.set(rights));
  }

  holds = (right: MeRights['rights'][number]): boolean => this.get().rights.includes(right);
}
