import type { Team } from '@earshot/shared';

/** A team as both stores select it, with the people's ids decoded to lists (each store encodes them its own way). */
export interface TeamRow {
  id: number;
  name: string;
  member_ids: number[];
  supervisor_ids: number[];
}

export const teamFromRow = (r: TeamRow): Team => ({ id: r.id, name: r.name, memberIds: r.member_ids, supervisorIds: r.supervisor_ids });
