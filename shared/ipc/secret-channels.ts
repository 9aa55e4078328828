/**
 * A profile's secrets in the OS keychain. The keychain may be unusable (no D-Bus over SSH, locked,
 * denied): secretStatus says so as data, with the typed error, so the page can offer the choices (give
 * the secret for each run only, or keep it only in the exported secret file). Nothing falls back to a file.
 */
import * as z from 'zod/mini';
import { channel, NoInput } from './channel-spec.js';
import { ProfileNameSchema, SecretKindSchema, SecretValueSchema, SmtpEndpointSchema } from './common-schemas.js';
import { ErrorDataSchema } from './ipc-result.js';

export const SECRET_CHANNELS = {
  secretStatus: channel({
    summary: "Whether the keychain can be used and which of the profile's secrets it holds; never a secret.",
    input: z.strictObject({ profileName: ProfileNameSchema }),
    output: z.object({
      keychain: z.object({ available: z.boolean(), backend: z.string(), error: z.optional(ErrorDataSchema) }),
      /** Empty when the keychain cannot be used. */
      /** `boundTo`: the server a stored secret belongs to; absent for one stored before secrets were bound. */
      secrets: z.array(z.object({ kind: SecretKindSchema, account: z.string(), stored: z.boolean(), boundTo: z.optional(SmtpEndpointSchema) })),
    }),
  }),
  setSecret: channel({
    summary: "Stores one of the profile's secrets in the keychain, bound to the server it is for, after the checks export applies to it.",
    input: z.strictObject({ profileName: ProfileNameSchema, kind: SecretKindSchema, value: SecretValueSchema, endpoint: SmtpEndpointSchema }),
    output: z.object({ account: z.string(), backend: z.string() }),
  }),
  deleteSecret: channel({
    summary: "Removes one of the profile's secrets from the keychain, or all of them when no kind is given.",
    input: z.strictObject({ profileName: ProfileNameSchema, kind: z.optional(SecretKindSchema) }),
    output: z.object({ deleted: z.array(SecretKindSchema) }),
  }),
  sessionSecrets: channel({
    summary: 'Which secrets this session holds for a server (typed earlier for its host, port and user, kept in memory only); never a secret.',
    input: z.strictObject({ endpoint: SmtpEndpointSchema }),
    output: z.object({ held: z.array(SecretKindSchema) }),
  }),
  forgetSessionSecrets: channel({
    summary: 'Forgets every secret typed in this session.',
    input: NoInput,
    output: z.object({ forgotten: z.number() }),
  }),
  forgetAllSecrets: channel({
    summary: "Removes every keychain entry of this app, of every profile.",
    input: NoInput,
    output: z.object({ accounts: z.array(z.string()) }),
  }),
};
