import { z } from 'zod';
import { IdListSchema, IdSchema } from './common.js';

export const TeamNameSchema = z.string().trim().min(1).max(60);

export const TeamSchema = z.object({
  id: IdSchema,
  name: z.string(),
  memberIds: z.array(IdSchema),
  supervisorIds: z.array(IdSchema),
});
export type Team = z.infer<typeof TeamSchema>;

export const TeamsListResponseSchema = z.object({ teams: z.array(TeamSchema) });

export const TeamCreateRequestSchema = z.strictObject({
  name: TeamNameSchema,
  memberIds: IdListSchema.optional(),
  supervisorIds: IdListSchema.optional(),
});
export const TeamUpdateRequestSchema = z.strictObject({
  teamId: IdSchema,
  name: TeamNameSchema.optional(),
  memberIds: IdListSchema.optional(),
  supervisorIds: IdListSchema.optional(),
});
export const TeamDeleteRequestSchema = z.strictObject({ teamId: IdSchema });

export const TeamResponseSchema = z.object({ team: TeamSchema });
export const TeamDeleteResponseSchema = z.object({ teamId: IdSchema });
