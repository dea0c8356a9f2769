import { ackSchema } from '@earshot/shared';
import { z } from 'zod';
import type { Caller } from '../realtime/actionWrapper.js';

/**
 * The messages nodes send each other on Redis's channels, each parsed on arrival like any other input: a
 * message from a node of another version, or written to the channel by hand, is logged and dropped, never
 * thrown into the Redis client's listener (which would take the node down).
 */

const UserIdSchema = z.number().int().positive();
const NodeIdSchema = z.string().min(1).max(200);

/** A user's first socket opened, or their last closed, on node `node`. */
export const PresenceMessageSchema = z.object({ node: NodeIdSchema, userId: UserIdSchema, present: z.boolean() });
export type PresenceMessage = z.infer<typeof PresenceMessageSchema>;

/** The users whose kept end notices a survivor stored for a dead node's sessions: deliver them now. */
export const KeptEndsMessageSchema = z.object({ users: z.array(UserIdSchema).max(100_000) });
export type KeptEndsMessage = z.infer<typeof KeptEndsMessageSchema>;

const CallerSchema = z.object({
  socketId: z.string().max(200),
  loginId: z.number().int().nonnegative(),
  userId: UserIdSchema,
  displayName: z.string().max(500),
}) satisfies z.ZodType<Caller>;

/** An action one node hands to the node that owns its agent, for the caller who sent it there. */
const ForwardedActionSchema = z.object({ event: z.string().min(1).max(100), payload: z.unknown(), caller: CallerSchema });
export type ForwardedAction = z.infer<typeof ForwardedActionSchema>;

/** An action forwarded to the node that owns its agent, and that node's answer (the payload is the action's own: its pipeline parses it). */
export const ForwardingMessageSchema = z.discriminatedUnion('t', [
  z.object({
    t: z.literal('request'),
    id: z.string().min(1).max(100),
    from: NodeIdSchema,
    action: ForwardedActionSchema,
  }),
  z.object({
    t: z.literal('reply'),
    id: z.string().min(1).max(100),
    answer: ackSchema(z.unknown()),
  }),
]);
export type ForwardingMessage = z.infer<typeof ForwardingMessageSchema>;

/** The message in `text`, or why it is not one. */
export function readNodeMessage<T>(schema: z.ZodType<T>, text: string): { ok: true; message: T } | { ok: false; reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: parsed.error.issues.map((i) => `${i.path.join('.') || 'message'}: ${i.message}`).join('; ') };
  return { ok: true, message: parsed.data };
}
