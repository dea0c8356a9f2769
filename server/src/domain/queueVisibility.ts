import type { Actor } from './actor.js';

/**
 * A team takes the calls of the queue that bears its name (compared without regard to case): the Billing
 * team answers the Billing queue. The simulator's queues and the demo's teams are named alike.
 */
export function teamTakesQueue(teamName: string, queue: string): boolean {
  return teamName.trim().toLowerCase() === queue.trim().toLowerCase();
}

/**
 * The queues an actor may watch: with View Live Phone State, scope `all` sees every queue and scope
 * `managed` the queues its supervised teams take calls from. Scope `own` reaches no queue: a queue's figures
 * are about other people's callers and agents.
 */
export function queuesVisibleTo(actor: Pick<Actor, 'rights' | 'scope'>, supervisedTeamNames: readonly string[], queues: readonly string[]): string[] {
  if (!actor.rights.has('phoneState.view')) return [];
  switch (actor.scope) {
    case 'all':
      return [...queues];
    case 'managed':
      return queues.filter((q) => supervisedTeamNames.some((t) => teamTakesQueue(t, q)));
    case 'own':
      return [];
  }
}
