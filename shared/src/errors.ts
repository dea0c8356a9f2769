import { z } from 'zod';

export const ERROR_CODES = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  OUT_OF_SCOPE: 'OUT_OF_SCOPE',
  INVALID: 'INVALID',
  CONFLICT: 'CONFLICT',
  NOT_FOUND: 'NOT_FOUND',
  RATE_LIMITED: 'RATE_LIMITED',
  INTERNAL: 'INTERNAL',
} as const;

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

export const ErrorCodeSchema = z.enum(Object.values(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]);

export const WireErrorSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  /** Seconds until a RATE_LIMITED caller may try again. */
  retryAfter: z.number().optional(),
  /**
   * Several nodes (docs/scale-out.md): the node to connect to instead, as a URL. An agent's plugin attaches at
   * its home node; another node refuses the attach with CONFLICT and this.
   */
  homeUrl: z.string().optional(),
});
export type WireError = z.infer<typeof WireErrorSchema>;

export type Ack<T> = { ok: true; data: T } | { ok: false; error: WireError };

export function ackSchema<T extends z.ZodType>(data: T) {
  return z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), data }), z.object({ ok: z.literal(false), error: WireErrorSchema })]);
}
