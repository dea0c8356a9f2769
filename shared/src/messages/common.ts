import { z } from 'zod';

/** Database ids: positive integers. */
export const IdSchema = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** Bounded lists so that an oversized payload is refused by field, not by the transport. */
export const IdListSchema = z.array(IdSchema).max(1000);

export const EmptyRequestSchema = z.strictObject({});

/** Epoch milliseconds, server time. */
export const TimestampSchema = z.number().int().nonnegative();
