import { z } from 'zod';
import { PasswordSchema, UsernameSchema } from './auth.js';
import { IdListSchema, IdSchema, TimestampSchema } from './common.js';

export const DisplayNameSchema = z.string().trim().min(1).max(80);

export const UserSchema = z.object({
  id: IdSchema,
  username: z.string(),
  displayName: z.string(),
  profileId: IdSchema,
  profileName: z.string(),
  /** Teams the user is a member of. */
  memberOf: z.array(IdSchema),
  /** Teams the user supervises: their members are the user's managed users. */
  supervises: z.array(IdSchema),
  createdAt: TimestampSchema,
});
export type User = z.infer<typeof UserSchema>;

export const UsersListResponseSchema = z.object({ users: z.array(UserSchema) });

export const UserCreateRequestSchema = z.strictObject({
  username: UsernameSchema,
  displayName: DisplayNameSchema,
  password: PasswordSchema,
  profileId: IdSchema,
  memberOf: IdListSchema.optional(),
  supervises: IdListSchema.optional(),
});
export const UserUpdateRequestSchema = z.strictObject({
  userId: IdSchema,
  displayName: DisplayNameSchema.optional(),
  password: PasswordSchema.optional(),
  profileId: IdSchema.optional(),
  memberOf: IdListSchema.optional(),
  supervises: IdListSchema.optional(),
});
export const UserDeleteRequestSchema = z.strictObject({ userId: IdSchema });

export const UserResponseSchema = z.object({ user: UserSchema });
export const UserDeleteResponseSchema = z.object({ userId: IdSchema });
