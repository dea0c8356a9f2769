import { z } from 'zod';

/** `GET /api/health`: the process runs (liveness). */
export const HealthStatusSchema = z.object({ status: z.literal('ok') });
export type HealthStatus = z.infer<typeof HealthStatusSchema>;

/** `GET /api/ready`: the server should get traffic (readiness); a 503 with the error envelope otherwise. */
export const ReadyStatusSchema = z.object({ status: z.literal('ready') });
export type ReadyStatus = z.infer<typeof ReadyStatusSchema>;
