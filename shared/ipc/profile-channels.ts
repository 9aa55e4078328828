/** Saved profiles: non-secret JSON files in the app's data folder, written atomically. */
import * as z from 'zod/mini';
import { ProfileSchema } from '../profile/profile-schema.js';
import { channel, NoInput } from './channel-spec.js';
import { AbsolutePathSchema, ProfileNameSchema } from './common-schemas.js';
import { ErrorDataSchema } from './ipc-result.js';

/** What happened to a profile's keychain entries when the profile was renamed or deleted. */
const SecretsFollowUpSchema = z.object({
  outcome: z.enum(['moved', 'deleted', 'none', 'failed']),
  /** Why the entries could not be moved or deleted (e.g. the keychain is locked); the profile change stands. */
  error: z.optional(ErrorDataSchema),
});

export const ProfileSummarySchema = z.object({
  name: z.string(),
  updatedAt: z.string(),
  publicUrl: z.optional(z.string()),
  emailMode: z.optional(z.enum(['smtp', 'none'])),
  /** Set when the file no longer validates (edited by hand): the profile is listed so it can be fixed or deleted. */
  problem: z.optional(ErrorDataSchema),
});

export const PROFILE_CHANNELS = {
  listProfiles: channel({
    summary: 'The saved profiles, most recently changed first.',
    input: NoInput,
    output: z.object({ profiles: z.array(ProfileSummarySchema), folder: AbsolutePathSchema }),
  }),
  loadProfile: channel({
    summary: 'One saved profile.',
    input: z.strictObject({ name: ProfileNameSchema }),
    output: z.object({ profile: ProfileSchema }),
  }),
  saveProfile: channel({
    summary: 'Saves a profile under its name (default "default"), replacing a saved one of that name.',
    input: z.strictObject({ profile: ProfileSchema }),
    output: z.object({ name: z.string() }),
  }),
  deleteProfile: channel({
    summary: 'Deletes a saved profile and its keychain entries.',
    input: z.strictObject({ name: ProfileNameSchema }),
    output: z.object({ name: z.string(), secrets: SecretsFollowUpSchema }),
  }),
  renameProfile: channel({
    summary: 'Renames a saved profile (refused if the new name is taken) and moves its keychain entries.',
    input: z.strictObject({ from: ProfileNameSchema, to: ProfileNameSchema }),
    output: z.object({ name: z.string(), secrets: SecretsFollowUpSchema }),
  }),
};
