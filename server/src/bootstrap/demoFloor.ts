import type { InstalledProfileKey, RightId } from '@earshot/shared';
import { hashPassword } from '../store/passwords.js';
import type { Store } from '../store/repositories.js';

/** Demo only: every demo login shares this password. Turn the demo off (EARSHOT_DEMO=off) in production. */
export const DEMO_PASSWORD = 'earshot-demo';

export interface DemoLogin {
  username: string;
  displayName: string;
  role: string;
  /** True for the agents the simulator drives; the others are left for a person to log in as. */
  simulated: boolean;
  /** The phone the telephony platform knows the agent by (`PJSIP/1001`); null for those who take no calls. */
  extension: string | null;
}

const TEAMS = ['Billing', 'Sales', 'Support'] as const;
const AGENTS_PER_TEAM = 6;
const PEOPLE_AGENTS_PER_TEAM = 1;

/**
 * A demo agent's phone as a PBX would name it: the team's digit, then the agent's number in the team
 * (`agent.billing` PJSIP/1001, `sim.billing.2` PJSIP/1002, `agent.sales` PJSIP/2001). Pointed at an Asterisk
 * whose PJSIP endpoints are named so, the demo floor takes its calls as it is (docs/telephony/asterisk.md).
 */
export function demoExtension(teamIndex: number, agentNumber: number): string {
  return `PJSIP/${teamIndex + 1}${String(agentNumber).padStart(3, '0')}`;
}

const FIRST = ['Ava', 'Ben', 'Chloe', 'Dev', 'Elena', 'Femi', 'Grace', 'Hugo', 'Ines', 'Jon', 'Kira', 'Liam', 'Maya', 'Noah', 'Olga', 'Priya', 'Quinn', 'Ravi'];
const LAST = ['Adams', 'Baker', 'Cruz', 'Diaz', 'Evans', 'Fox', 'Gray', 'Hill', 'Ito', 'Jones', 'Khan', 'Lee', 'Moss', 'Ng', 'Ortiz', 'Park', 'Reed', 'Shaw'];

/** The Trainer: teaches live with Live Monitor and Coach, but may never Barge (docs/permissions.md rule 8). */
export const TRAINER_PROFILE = {
  name: 'Trainer',
  scope: 'managed' as const,
  rights: ['phoneState.view', 'live.monitor', 'live.coach', 'recording.playback', 'evaluations.create', 'scorecards.create'] satisfies RightId[],
};

/** A new data directory gets a floor to try the product on: teams, managers, a trainer, admins, agents. */
export async function createDemoFloor(store: Store, now: number, cost: number): Promise<DemoLogin[]> {
  const profileId = async (key: InstalledProfileKey) => (await store.profiles.getByKey(key))!.id;
  const trainer = await store.profiles.create(TRAINER_PROFILE, now);
  const hash = await hashPassword(DEMO_PASSWORD, cost);
  const logins: DemoLogin[] = [];
  const add = async (
    username: string,
    displayName: string,
    role: string,
    pid: number,
    {
      simulated = false,
      memberOf = [],
      supervises = [],
      extension = null,
    }: { simulated?: boolean; memberOf?: number[]; supervises?: number[]; extension?: string | null } = {},
  ) => {
    const user = await store.users.create({ username, displayName, passwordHash: hash, profileId: pid, memberOf, supervises, extension }, now);
    logins.push({ username, displayName, role, simulated, extension });
    return user;
  };

  await add('admin', 'Alex Admin', 'Administrator', await profileId('administrator'));
  await add('limited', 'Lee Limited', 'Limited Admin', await profileId('limitedAdmin'));

  const teamIds: number[] = [];
  let n = 0;
  for (const [t, name] of TEAMS.entries()) {
    const team = await store.teams.create({ name, memberIds: [], supervisorIds: [] }, now);
    teamIds.push(team.id);
    const lower = name.toLowerCase();
    await add(`manager.${lower}`, `${FIRST[n % FIRST.length]} ${LAST[(n + 7) % LAST.length]}`, `Manager, ${name}`, await profileId('manager'), {
      supervises: [team.id],
    });
    for (let i = 1; i <= AGENTS_PER_TEAM; i++, n++) {
      const simulated = i > PEOPLE_AGENTS_PER_TEAM;
      const username = simulated ? `sim.${lower}.${i}` : `agent.${lower}`;
      await add(username, `${FIRST[n % FIRST.length]} ${LAST[n % LAST.length]}`, `Agent, ${name}${simulated ? ' (simulated)' : ''}`, await profileId('agent'), {
        simulated,
        memberOf: [team.id],
        extension: demoExtension(t, i),
      });
    }
  }
  // The trainer coaches the Billing and Sales teams.
  await add('trainer', 'Tara Trainer', 'Trainer (Monitor and Coach, no Barge)', trainer.id, { supervises: teamIds.slice(0, 2) });
  // A privileged agent (own playback) in Support, without live notifications (the profile lacks it); Support's seventh phone.
  await add('privileged.support', 'Pat Privileged', 'Privileged User, Support', await profileId('privilegedUser'), {
    memberOf: [teamIds[2]!],
    extension: demoExtension(2, AGENTS_PER_TEAM + 1),
  });
  return logins;
}
