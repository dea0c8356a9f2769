import type { Statement } from './syncConnection.js';

/**
 * The statements that set the team memberships of one user or one team (`owner` names which): for each of
 * `team_members` and `team_supervisors` whose list is given, the old rows go and the listed ones come in;
 * an absent list leaves that table unchanged.
 */
export function membershipStatements(
  owner: 'user_id' | 'team_id',
  ownerId: number,
  members: readonly number[] | undefined,
  supervisors: readonly number[] | undefined,
): Statement[] {
  const other = owner === 'user_id' ? 'team_id' : 'user_id';
  const steps: Statement[] = [];
  for (const [table, ids] of [
    ['team_members', members],
    ['team_supervisors', supervisors],
  ] as const) {
    if (ids === undefined) continue;
    steps.push({ sql: `DELETE FROM ${table} WHERE ${owner} = $1`, params: [ownerId] });
    if (ids.length > 0) {
      steps.push({
        sql: `INSERT INTO ${table} (${owner}, ${other}) SELECT $2, x FROM unnest($1::bigint[]) AS x ON CONFLICT DO NOTHING`,
        params: [ids, ownerId],
      });
    }
  }
  return steps;
}
