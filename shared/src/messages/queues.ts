import { z } from 'zod';
import { TimestampSchema } from './common.js';
import { PHONE_STATE_NAMES } from './floor.js';

/**
 * Service level over one period: of the callers who stopped waiting in it (answered or gave up), the share
 * answered within the threshold. `share` is null when nobody stopped waiting in the period.
 */
export const ServiceLevelSchema = z.object({
  answered: z.number().int().nonnegative(),
  answeredWithinThreshold: z.number().int().nonnegative(),
  abandoned: z.number().int().nonnegative(),
  share: z.number().min(0).max(1).nullable(),
});
export type ServiceLevel = z.infer<typeof ServiceLevelSchema>;

/** How many of a queue's agents are in each phone state. */
export const AgentsByStateSchema = z.object(
  Object.fromEntries(PHONE_STATE_NAMES.map((s) => [s, z.number().int().nonnegative()])) as {
    [K in (typeof PHONE_STATE_NAMES)[number]]: z.ZodNumber;
  },
);
export type AgentsByState = z.infer<typeof AgentsByStateSchema>;

/** One queue's figures at `at` (server time). */
export const QueueFiguresSchema = z.object({
  queue: z.string(),
  waiting: z.number().int().nonnegative(),
  /** When the caller waiting longest arrived (null: nobody waits): clients tick the longest wait from it. */
  oldestWaitingSince: TimestampSchema.nullable(),
  /** The longest wait at `at`, in milliseconds (0 when nobody waits). */
  longestWaitMs: z.number().int().nonnegative(),
  /** The service-level threshold: a caller answered within it counts as answered in time. */
  thresholdMs: z.number().int().positive(),
  /** Someone has waited longer than the threshold. */
  overThreshold: z.boolean(),
  lastThirtyMinutes: ServiceLevelSchema,
  /** Since midnight, server time. */
  today: ServiceLevelSchema,
  /** Mean time from answer to the end of the agent's part in the call, over calls ended today; null before the first. */
  averageHandleMs: z.number().int().nonnegative().nullable(),
  /** The agents of the teams that take this queue's calls, by phone state. */
  agents: AgentsByStateSchema,
  at: TimestampSchema,
});
export type QueueFigures = z.infer<typeof QueueFiguresSchema>;

/** `queues:subscribe` and the pushed `queues:snapshot`: every queue the subscriber may see, by name. */
export const QueuesSnapshotSchema = z.object({
  queues: z.array(QueueFiguresSchema),
  at: TimestampSchema,
});
export type QueuesSnapshot = z.infer<typeof QueuesSnapshotSchema>;

/** `queues:update`: one queue's figures as they are now; replaces that queue's. */
export const QueueUpdateSchema = z.object({ figures: QueueFiguresSchema });
export type QueueUpdate = z.infer<typeof QueueUpdateSchema>;
