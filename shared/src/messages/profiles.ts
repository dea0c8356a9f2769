import { z } from 'zod';
import { PROFILE_NAME_MAX, INSTALLED_PROFILE_KEYS } from '../profiles.js';
import { RightIdSchema } from '../rights.js';
import { ScopeSchema } from '../scopes.js';
import { IdSchema } from './common.js';

// docs/permissions.md rule 2: a profile name is 1 to 20 characters (CallRex 3.7: "a maximum of 20 characters").
export const ProfileNameSchema = z.string().trim().min(1).max(PROFILE_NAME_MAX);

const RightListSchema = z.array(RightIdSchema).max(100);

export const ProfileSchema = z.object({
  id: IdSchema,
  /** The installed profile this row started as; null for a profile an administrator defined. */
  key: z.enum(INSTALLED_PROFILE_KEYS).nullable(),
  name: z.string(),
  rights: z.array(RightIdSchema),
  scope: ScopeSchema,
  memberCount: z.number().int().nonnegative(),
  /** docs/permissions.md rule 1: the Administrator profile cannot be edited, renamed or deleted. */
  locked: z.boolean(),
});
export type Profile = z.infer<typeof ProfileSchema>;

export const ProfilesListResponseSchema = z.object({ profiles: z.array(ProfileSchema) });

export const ProfileCreateRequestSchema = z.strictObject({
  name: ProfileNameSchema,
  rights: RightListSchema,
  scope: ScopeSchema,
});
export const ProfileUpdateRequestSchema = z.strictObject({
  profileId: IdSchema,
  rights: RightListSchema.optional(),
  scope: ScopeSchema.optional(),
});
export const ProfileRenameRequestSchema = z.strictObject({ profileId: IdSchema, name: ProfileNameSchema });
export const ProfileDeleteRequestSchema = z.strictObject({ profileId: IdSchema });

export const ProfileResponseSchema = z.object({ profile: ProfileSchema });
export const ProfileDeleteResponseSchema = z.object({
  profileId: IdSchema,
  /** docs/permissions.md rule 3: the members of a deleted profile move to the Agent profile. */
  movedUserIds: z.array(IdSchema),
});
