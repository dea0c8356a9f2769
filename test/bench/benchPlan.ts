import { numberFlag, takeCommonFlag, type TargetKind } from './benchFlags.js';

/**
 * What one bench run does: how many agents and supervisors, how fast the floor changes, for how long,
 * and the floor's shape (teams of 20, managers of several teams, a few supervisors with scope `all`).
 * Pure: the runner, the store preparation and the load workers all read the same plan.
 */

export const PRESETS = {
  /** The default: about 1,000 agents, both targets in under a minute. */
  quick: { agents: 1000, supervisors: 50, changesPerSecond: 100, supervisionsPerSecond: 5, warmupSeconds: 3, measureSeconds: 12 },
  /** The full target. */
  full: { agents: 10_000, supervisors: 500, changesPerSecond: 1000, supervisionsPerSecond: 20, warmupSeconds: 8, measureSeconds: 30 },
  /** The stretch target. */
  stretch: { agents: 15_000, supervisors: 750, changesPerSecond: 5000, supervisionsPerSecond: 30, warmupSeconds: 8, measureSeconds: 30 },
  /** What the smoke test runs: a handful of connections, a few seconds. */
  tiny: { agents: 24, supervisors: 4, changesPerSecond: 20, supervisionsPerSecond: 2, warmupSeconds: 1, measureSeconds: 3 },
} as const;
export type PresetName = keyof typeof PRESETS;

export type { TargetKind } from './benchFlags.js';

export interface BenchPlan {
  preset: PresetName | 'custom';
  agents: number;
  supervisors: number;
  /** Supervisors with scope `all` (Limited Admin): each sees every agent. */
  allScopeSupervisors: number;
  teamSize: number;
  /** Each manager supervises this many consecutive teams. */
  teamsPerManager: number;
  /** Agents per team that take calls (the rest change status); calls are what supervisors supervise. */
  callAgentsPerTeam: number;
  /** Status changes (available / notReady) per second over all status-changing agents. */
  changesPerSecond: number;
  supervisionsPerSecond: number;
  /** How long a supervisor stays on a call before `supervise:stop`. */
  supervisionHoldMs: number;
  warmupSeconds: number;
  measureSeconds: number;
  /** After the call agents go available, before the load: calls ring and are answered. */
  callWarmupMs: number;
  /** Load-generator processes: each holds a share of the connections (at most 20,000 open files each). */
  workers: number;
  /** Simulated calls offered to the call agents (Poisson; -1: derived from the call agents), and their mean talk time. */
  simArrivalsPerMinute: number;
  simHandleSeconds: number;
  targets: TargetKind[];
  /** Run the Earshot server under `node --cpu-prof` and summarize its hot paths. */
  profile: boolean;
  /**
   * The relay commits each supervision start's and stop's row and audit record to SQLite before its notice,
   * as Earshot does (`relayServer.ts`): what auditing alone costs. Not the baseline: no goal is judged.
   */
  relayAudited: boolean;
  /** Where the report goes (markdown, JSON, profiles). */
  outDir: string;
  /** `dist`: server/dist/main.js (the bench); `source`: server/src through tsx (the smoke test, no build needed). */
  serverEntry: 'dist' | 'source';
  /** Socket rate limit given to the server (env SOCKET_RATE_PER_SECOND); the default 50 is enough here. */
  socketRatePerSecond: number | null;
  /**
   * Measured runs of each target, relay and Earshot taking turns (the first of each pair alternates): the
   * table shows the median over the rounds, so one noisy second on a shared machine does not decide it.
   */
  rounds: number;
}

/** The most connections one load worker holds: well under the 20,000 open files a process may have. */
export const MAX_CONNECTIONS_PER_WORKER = 4000;

export function planFor(preset: PresetName, overrides: Partial<BenchPlan> = {}): BenchPlan {
  const p = PRESETS[preset];
  const base: BenchPlan = {
    preset,
    agents: p.agents,
    supervisors: p.supervisors,
    allScopeSupervisors: 0,
    teamSize: 20,
    teamsPerManager: 3,
    callAgentsPerTeam: preset === 'tiny' ? 4 : 2,
    changesPerSecond: p.changesPerSecond,
    supervisionsPerSecond: p.supervisionsPerSecond,
    supervisionHoldMs: 1500,
    warmupSeconds: p.warmupSeconds,
    measureSeconds: p.measureSeconds,
    callWarmupMs: preset === 'tiny' ? 2000 : 4000,
    workers: 0,
    // Tiny: calls come fast and last, so the few call agents are talking within the first seconds.
    simArrivalsPerMinute: preset === 'tiny' ? 120 : -1,
    simHandleSeconds: preset === 'tiny' ? 60 : 20,
    targets: ['relay', 'earshot'],
    profile: false,
    relayAudited: false,
    outDir: 'bench-results',
    serverEntry: 'dist',
    socketRatePerSecond: null,
    rounds: 1,
  };
  return completePlan({ ...base, ...overrides });
}

/** Fills the derived fields left unset: the all-scope supervisors and the worker count (0), the call arrival rate (-1). */
export function completePlan(plan: BenchPlan): BenchPlan {
  const out = { ...plan };
  if (out.agents < out.teamSize) throw new Error(`at least ${out.teamSize} agents (one team)`);
  if (out.supervisors < 2) throw new Error('at least 2 supervisors (a manager and one with scope all)');
  // "A few with scope all": 2 %, at least one.
  if (!out.allScopeSupervisors) out.allScopeSupervisors = Math.max(1, Math.round(out.supervisors * 0.02));
  if (out.allScopeSupervisors >= out.supervisors) throw new Error('some supervisors must be managers');
  if (!out.workers) out.workers = Math.max(2, Math.ceil((out.agents + out.supervisors) / MAX_CONNECTIONS_PER_WORKER));
  if ((out.agents + out.supervisors) / out.workers > MAX_CONNECTIONS_PER_WORKER * 4) throw new Error('too many connections per worker: raise --workers');
  if (out.simArrivalsPerMinute < 0) {
    // Keep about 40 % of the call agents talking: enough calls to supervise, and idle call agents
    // waiting longer than any status-changing agent, so the simulator offers its calls to them first.
    const callAgents = floorShape(out).callAgentIds.length;
    out.simArrivalsPerMinute = Math.max(1, Math.round(((0.4 * callAgents) / out.simHandleSeconds) * 60));
  }
  return out;
}

export interface AgentSpec {
  id: number;
  username: string;
  displayName: string;
  teamId: number;
  /** `status`: changes available / notReady at the plan's rate; `call`: stays available and answers calls. */
  role: 'status' | 'call';
}

export interface SupervisorSpec {
  id: number;
  username: string;
  displayName: string;
  scope: 'managed' | 'all';
  /** The teams a manager supervises (empty for scope all). */
  teamIds: number[];
}

export interface FloorShape {
  agents: AgentSpec[];
  supervisors: SupervisorSpec[];
  teamIds: number[];
  callAgentIds: number[];
  /** agent id → how many supervisors see them (the deltas each status change must produce). */
  watchersOf: Map<number, number>;
  /** supervisor id → the agents they see. */
  visibleTo: Map<number, number[]>;
}

/**
 * Ids are fixed here and written as such into the store: agents 1..N, then managers, then the
 * supervisors with scope all; team t holds agents t*20+1 .. t*20+20.
 */
export function floorShape(
  plan: Pick<BenchPlan, 'agents' | 'supervisors' | 'allScopeSupervisors' | 'teamSize' | 'teamsPerManager' | 'callAgentsPerTeam'>,
): FloorShape {
  const teams = Math.ceil(plan.agents / plan.teamSize);
  const teamIds = Array.from({ length: teams }, (_, t) => t + 1);
  const agents: AgentSpec[] = [];
  for (let i = 0; i < plan.agents; i++) {
    const team = Math.floor(i / plan.teamSize);
    const role = i % plan.teamSize < plan.callAgentsPerTeam ? 'call' : 'status';
    agents.push({ id: i + 1, username: `bench.agent.${i + 1}`, displayName: `Agent ${i + 1}`, teamId: team + 1, role });
  }
  const managers = plan.supervisors - plan.allScopeSupervisors;
  const supervisors: SupervisorSpec[] = [];
  for (let m = 0; m < managers; m++) {
    const teamSet = new Set<number>();
    for (let j = 0; j < plan.teamsPerManager; j++) teamSet.add(((m * plan.teamsPerManager + j) % teams) + 1);
    const id = plan.agents + m + 1;
    supervisors.push({ id, username: `bench.manager.${m + 1}`, displayName: `Manager ${m + 1}`, scope: 'managed', teamIds: [...teamSet] });
  }
  for (let a = 0; a < plan.allScopeSupervisors; a++) {
    const id = plan.agents + managers + a + 1;
    supervisors.push({ id, username: `bench.floor.${a + 1}`, displayName: `Floor lead ${a + 1}`, scope: 'all', teamIds: [] });
  }
  const membersOf = new Map<number, number[]>();
  for (const a of agents) {
    const list = membersOf.get(a.teamId) ?? [];
    list.push(a.id);
    membersOf.set(a.teamId, list);
  }
  const allAgentIds = agents.map((a) => a.id);
  const visibleTo = new Map<number, number[]>();
  const watchersOf = new Map<number, number>(allAgentIds.map((id) => [id, 0]));
  for (const s of supervisors) {
    const seen = s.scope === 'all' ? allAgentIds : [...new Set(s.teamIds.flatMap((t) => membersOf.get(t) ?? []))];
    visibleTo.set(s.id, seen);
    for (const id of seen) watchersOf.set(id, watchersOf.get(id)! + 1);
  }
  return { agents, supervisors, teamIds, callAgentIds: agents.filter((a) => a.role === 'call').map((a) => a.id), watchersOf, visibleTo };
}

/** Worker w's share: every w-th agent and supervisor, so each worker holds a slice of every team. */
export function shareOf<T>(items: readonly T[], worker: number, workers: number): T[] {
  return items.filter((_, i) => i % workers === worker);
}

const FLAGS_HELP = `npm run bench -- [--preset quick|full|stretch] [--agents N] [--supervisors M] [--rate R]
  [--supervisions S] [--calls PER_MINUTE] [--warmup SEC] [--seconds SEC] [--workers W] [--only earshot|relay] [--profile]
  [--out DIR] [--socket-rate N] [--rounds N] [--relay-audited]
(the media bench: npm run bench -- --media [flags], see mediaPlan.ts; one node against three: npm run bench -- --cluster [flags], see clusterPlan.ts)`;

/** `--preset full --rate 800 --profile ...` → a plan. Unknown flags are refused (a typo must not run the quick plan). */
export function planFromArgs(argv: readonly string[]): BenchPlan {
  const args = [...argv];
  let preset: PresetName = 'quick';
  const o: Partial<BenchPlan> = {};
  const num = numberFlag(FLAGS_HELP);
  while (args.length) {
    const flag = args.shift()!;
    switch (flag) {
      case '--preset': {
        const v = args.shift();
        if (!v || !(v in PRESETS)) throw new Error(`--preset is one of ${Object.keys(PRESETS).join(', ')}`);
        preset = v as PresetName;
        break;
      }
      case '--full':
        preset = 'full';
        break;
      case '--stretch':
        preset = 'stretch';
        break;
      case '--agents':
        o.agents = num(flag, args.shift(), 20);
        break;
      case '--supervisors':
        o.supervisors = num(flag, args.shift(), 2);
        break;
      case '--all-scope':
        o.allScopeSupervisors = num(flag, args.shift(), 1);
        break;
      case '--rate':
        o.changesPerSecond = num(flag, args.shift(), 1);
        break;
      case '--supervisions':
        o.supervisionsPerSecond = num(flag, args.shift(), 0);
        break;
      case '--calls':
        o.simArrivalsPerMinute = num(flag, args.shift(), 0);
        break;
      case '--workers':
        o.workers = num(flag, args.shift(), 1);
        break;
      case '--socket-rate':
        o.socketRatePerSecond = num(flag, args.shift(), 1);
        break;
      case '--relay-audited':
        o.relayAudited = true;
        break;
      case '--help':
        throw new Error(FLAGS_HELP);
      default:
        if (takeCommonFlag(flag, args, o, num)) break;
        throw new Error(`unknown flag ${flag}\n${FLAGS_HELP}`);
    }
  }
  const custom = ['agents', 'supervisors', 'changesPerSecond'].some((k) => k in o);
  return { ...planFor(preset, o), preset: custom ? 'custom' : preset };
}
