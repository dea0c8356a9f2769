import { AgentPhoneStateSchema, IdSchema, TakenOverCallSchema, TimestampSchema } from '@earshot/shared';
import { z } from 'zod';

/**
 * What one node's floor feed carries for the other nodes (docs/decisions/floor-feed.md), as stored in Redis:
 * node to node, never to a client, but read through the clients' schemas so a mirrored row is what a
 * local one would be.
 */
export const FEED_KINDS = ['phone', 'released', 'takenOver', 'queue', 'heartbeat'] as const;
export type FeedKind = (typeof FEED_KINDS)[number];

/** `phone`: an owned agent's phone as it now is, with the sessions on its call. */
export const FeedPhoneSchema = AgentPhoneStateSchema;

/** `released`: the owner let the agent go (re-homed); the data is the agent's id. */
export const FeedReleasedSchema = IdSchema;

/** `takenOver`: the calls taken over on the owner, as they now are, after one of `agentId`'s changed. */
export const FeedTakenOverSchema = z.object({ agentId: IdSchema, calls: z.array(TakenOverCallSchema) });
export type FeedTakenOver = z.infer<typeof FeedTakenOverSchema>;

/** `queue`: a queue event the owner's telephony reported (`PlatformQueueEvent`), for every node's queue figures. */
export const FeedQueueEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('waiting'), queue: z.string(), callId: z.string(), since: TimestampSchema }),
  z.object({ type: z.enum(['answered', 'abandoned']), queue: z.string(), callId: z.string(), at: TimestampSchema }),
]);
