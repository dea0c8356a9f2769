import { z } from 'zod';
import { PasswordSchema, UsernameSchema } from './auth.js';
import { IdListSchema, IdSchema, TimestampSchema } from './common.js';

export const DisplayNameSchema = z.string().trim().min(1).max(80);

/**
 * The telephony platform's name for the user's phone: an extension (`1001`) or an endpoint's name
 * (`PJSIP/alice`). A platform's call events for that phone are the user's. Unique among users.
 */
export const ExtensionSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@+/-]*$/, 'The extension may use only letters, digits and . _ @ + / -, and starts with a letter or digit');

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
  /** The telephony platform's name for the user's phone; null: none (a platform may still name them by username). */
  extension: z.string().nullable(),
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
  extension: ExtensionSchema.nullable().optional(),
});
export const UserUpdateRequestSchema = z.strictObject({
  userId: IdSchema,
  displayName: DisplayNameSchema.optional(),
  password: PasswordSchema.optional(),
  profileId: IdSchema.optional(),
  memberOf: IdListSchema.optional(),
  supervises: IdListSchema.optional(),
  /** null removes it. */
  extension: ExtensionSchema.nullable().optional(),
});
export const UserDeleteRequestSchema = z.strictObject({ userId: IdSchema });

export const UserResponseSchema = z.object({ user: UserSchema });
export const UserDeleteResponseSchema = z.object({ userId: IdSchema });
