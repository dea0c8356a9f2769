import { z } from 'zod';

/**
 * Who a right reaches: `own` the user alone (inContact "Agent View"), `managed` the user and the members
 * of the teams they supervise (CallRex "direct reports"), `all` every user (CallRex 3.7 "All Users").
 */
export const SCOPES = ['own', 'managed', 'all'] as const;
export type Scope = (typeof SCOPES)[number];
export const ScopeSchema = z.enum(SCOPES);

const RANK: Record<Scope, number> = { own: 0, managed: 1, all: 2 };

/** True when scope `a` reaches further than scope `b`. */
export function scopeWider(a: Scope, b: Scope): boolean {
  return RANK[a] > RANK[b];
}
