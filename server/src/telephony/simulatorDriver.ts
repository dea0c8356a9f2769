import type { ServerConfig } from '../config.js';
import type { LiveFloor } from '../live/liveFloor.js';
import type { FloorLogger } from '../live/floorPublisher.js';
import { mulberry32 } from './prng.js';
import { TelephonySimulator } from './simulator.js';

/** Users whose username starts with this are driven by the simulator. */
export const SIMULATED_USERNAME_PREFIX = 'sim.';

/**
 * Runs the pure simulator against the live floor: every tick, it reads the floor, asks the simulator what
 * happens now, and applies it. `tick()` is public so that tests can step it by hand.
 */
export class SimulatorDriver {
  readonly simulator: TelephonySimulator;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly floor: LiveFloor,
    private readonly config: ServerConfig['simulator'],
    private readonly log: FloorLogger,
    private readonly now: () => number,
  ) {
    this.simulator = new TelephonySimulator(
      {
        agents: config.agents,
        arrivalPerMinute: config.arrivalsPerMinute,
        meanHandleSeconds: config.meanHandleSeconds,
        queues: config.queues.length ? config.queues : ['General'],
        offerToRealAgents: config.offerToRealAgents,
        callIdPrefix: `call-${now().toString(36)}`,
      },
      mulberry32(config.seed),
    );
  }

  /** Hands the simulator the users it drives (by username). */
  driveUsers(users: readonly { id: number; username: string }[]): number {
    let n = 0;
    for (const u of users) if (u.username.startsWith(SIMULATED_USERNAME_PREFIX) && this.simulator.drive(u.id)) n++;
    return n;
  }

  /** Starts stepping; the floor opens with one call waiting in each queue, so work flows from the first tick. */
  start(): void {
    if (this.timer) return;
    if (this.config.arrivalsPerMinute > 0) for (const queue of this.config.queues) this.placeCall({ queue });
    this.timer = setInterval(() => this.tick(), this.config.tickMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One step: simulated agents and the customers of real agents' calls act. */
  tick(): void {
    const floor = this.floor;
    const reachable = (userId: number) => this.simulator.drives(userId) || floor.isAgentAttached(userId);
    const actions = this.simulator.tick(this.now(), {
      phoneOf: (userId) => (reachable(userId) ? floor.phoneOf(userId) : undefined),
      *availableLongestFirst() {
        for (const p of floor.availableLongestFirst()) if (reachable(p.userId)) yield p;
      },
      takenOverCallIds: new Set(floor.takenOverCallIds()),
    });
    for (const action of actions) {
      try {
        if (action.type === 'phone') this.floor.applyPhone(action.userId, action.event);
        else this.floor.endTakenOverCall(action.callId);
      } catch (e) {
        // A real agent may have acted between ticks; the next tick sees the floor as it is.
        this.log.error(e, `simulator action skipped: ${JSON.stringify(action)}`);
      }
    }
    for (const event of this.simulator.takeQueueEvents()) this.floor.queues.apply(event);
  }

  /** A call arrives now: for one agent (offered when they are available) or the first free one. */
  placeCall(options: { toUserId?: number; queue?: string } = {}): void {
    this.simulator.placeCall(this.now(), options);
    for (const event of this.simulator.takeQueueEvents()) this.floor.queues.apply(event);
  }
}
