/**
 * What one media bench run does (`npm run bench -- --media`): how many monitored calls, how many of them
 * coached, for how long. Pure, like `benchPlan.ts`.
 */
import { numberFlag, takeCommonFlag } from './benchFlags.js';
import { floorShape, type FloorShape, type TargetKind } from './benchPlan.js';

export const MEDIA_PRESETS = {
  /** The smoke test: a handful of calls, a few seconds. */
  tiny: { calls: 4, warmupSeconds: 2, measureSeconds: 3 },
  /** The default: 100 monitored calls. */
  quick: { calls: 100, warmupSeconds: 3, measureSeconds: 10 },
  /** The issue's target: 500 monitored calls. */
  full: { calls: 500, warmupSeconds: 5, measureSeconds: 20 },
} as const;
export type MediaPresetName = keyof typeof MEDIA_PRESETS;

/** Calls one media load worker carries: its trunk and its supervisors' sockets. */
export const MAX_CALLS_PER_MEDIA_WORKER = 250;

export interface MediaPlan {
  preset: MediaPresetName | 'custom';
  /** Calls, each with one supervisor listening; every call recorded. */
  calls: number;
  /** The share of the supervisors who coach (their voice goes back to the call every 20 ms). */
  coachShare: number;
  warmupSeconds: number;
  measureSeconds: number;
  workers: number;
  targets: TargetKind[];
  rounds: number;
  profile: boolean;
  outDir: string;
  serverEntry: 'dist' | 'source';
  /** Check every sample of every frame received (slower; the smoke test does), else a few of each. */
  fullCheck: boolean;
}

export function mediaPlanFor(preset: MediaPresetName, overrides: Partial<MediaPlan> = {}): MediaPlan {
  const p = MEDIA_PRESETS[preset];
  const plan: MediaPlan = {
    preset,
    calls: p.calls,
    coachShare: 0.25,
    warmupSeconds: p.warmupSeconds,
    measureSeconds: p.measureSeconds,
    workers: 0,
    targets: ['relay', 'earshot'],
    rounds: 1,
    profile: false,
    outDir: 'bench-results',
    serverEntry: 'dist',
    fullCheck: preset === 'tiny',
    ...overrides,
  };
  if (!plan.workers) plan.workers = Math.max(1, Math.ceil(plan.calls / MAX_CALLS_PER_MEDIA_WORKER));
  return plan;
}

export interface MediaCallSpec {
  index: number;
  callId: string;
  agentId: number;
  endpoint: string;
  supervisorId: number;
  coach: boolean;
}

/**
 * The floor behind the calls: one agent per call (teams of 20), one manager per call whose team holds the
 * call's agent (managers of one team each), no supervisor with scope `all`. Call i is agent i+1's.
 */
export function mediaFloor(plan: Pick<MediaPlan, 'calls' | 'coachShare'>): { shape: FloorShape; calls: MediaCallSpec[] } {
  const shape = floorShape({ agents: plan.calls, supervisors: plan.calls, allScopeSupervisors: 0, teamSize: 20, teamsPerManager: 1, callAgentsPerTeam: 20 });
  const free = new Map<number, number[]>();
  for (const s of shape.supervisors) {
    const list = free.get(s.teamIds[0]!) ?? [];
    list.push(s.id);
    free.set(s.teamIds[0]!, list);
  }
  const calls = shape.agents.map((a, index) => {
    const supervisorId = free.get(a.teamId)?.shift();
    if (supervisorId === undefined) throw new Error(`no manager left for team ${a.teamId}`);
    return {
      index,
      callId: `bench-call-${index + 1}`,
      agentId: a.id,
      endpoint: a.username,
      supervisorId,
      // Spread evenly over the calls (a share of 0.25: the 4th, 8th, ...).
      coach: Math.floor(index * plan.coachShare) !== Math.floor((index + 1) * plan.coachShare),
    };
  });
  return { shape, calls };
}

export const MEDIA_FLAGS_HELP = `npm run bench -- --media [--preset tiny|quick|full] [--calls N] [--coach SHARE] [--warmup SEC] [--seconds SEC]
  [--workers W] [--only earshot|relay] [--rounds N] [--profile] [--out DIR]`;

/** `--media --preset full --rounds 3` → a media plan. Unknown flags are refused. */
export function mediaPlanFromArgs(argv: readonly string[]): MediaPlan {
  const args = argv.filter((a) => a !== '--media');
  let preset: MediaPresetName = 'quick';
  const o: Partial<MediaPlan> = {};
  const num = numberFlag(MEDIA_FLAGS_HELP);
  while (args.length) {
    const flag = args.shift()!;
    switch (flag) {
      case '--preset': {
        const v = args.shift();
        if (!v || !(v in MEDIA_PRESETS)) throw new Error(`--preset is one of ${Object.keys(MEDIA_PRESETS).join(', ')}`);
        preset = v as MediaPresetName;
        break;
      }
      case '--full':
        preset = 'full';
        break;
      case '--calls':
        o.calls = Math.floor(num(flag, args.shift(), 1));
        break;
      case '--coach':
        o.coachShare = Math.min(1, num(flag, args.shift(), 0));
        break;
      case '--workers':
        o.workers = Math.floor(num(flag, args.shift(), 1));
        break;
      case '--help':
        throw new Error(MEDIA_FLAGS_HELP);
      default:
        if (takeCommonFlag(flag, args, o, num)) break;
        throw new Error(`unknown flag ${flag}\n${MEDIA_FLAGS_HELP}`);
    }
  }
  const plan = mediaPlanFor(preset, o);
  return { ...plan, preset: 'calls' in o ? 'custom' : preset };
}

export function describeMediaPlan(plan: MediaPlan): string {
  const coached = mediaFloor(plan).calls.filter((c) => c.coach).length;
  return (
    `media ${plan.preset}: ${plan.calls} calls (customer and agent tracks, 20 ms frames, through the platform boundary), one supervisor each ` +
    `(${coached} coaching: their voice back every 20 ms), every call recorded; ${plan.warmupSeconds} s warm-up + ${plan.measureSeconds} s measured, ` +
    `${plan.workers} load workers${plan.rounds > 1 ? `, ${plan.rounds} rounds per target` : ''}`
  );
}
