import { ackSchema, type Ack } from '@earshot/shared';
import type { z } from 'zod';

/** HTTP answers share the socket acks' envelope, checked against the wire; anything else is the server failing. */
export async function readAck<T extends z.ZodType>(res: Response, data: T): Promise<Ack<z.output<T>>> {
  const parsed = ackSchema(data).safeParse(await res.json().catch(() => null));
  if (parsed.success) return parsed.data as Ack<z.output<T>>;
  return { ok: false, error: { code: 'INTERNAL', message: `The server answered ${res.status} without a readable body` } };
}
