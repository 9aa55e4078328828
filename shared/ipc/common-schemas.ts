/** Values several channels take: names, paths and secrets, each checked once here. */
import * as z from 'zod/mini';
import { SECRET_KIND_NAMES, type SecretKindName } from '../n8n/n8n-variables.js';
import { checkPlainText } from '../profile/field-rules.js';
import { ProfileSchema } from '../profile/profile-schema.js';

/** The profile file's own `name` rule (letters, digits, ".", "_", "-"; no path separators). */
export const ProfileNameSchema = ProfileSchema.shape.name.def.innerType;

/**
 * An absolute path on the machine the services run on (POSIX, drive letter or UNC). Relative paths are
 * refused: they would resolve against whatever folder the app or `serve` happened to start in.
 */
export const AbsolutePathSchema = z.string().check(
  z.minLength(1),
  z.maxLength(4096),
  z.refine((path) => !path.includes('\0'), 'must not contain a NUL character.'),
  z.refine((path) => path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\'), 'must be an absolute path.'),
);

/** A server reached over SSH, as the command line spells it (checked by parseSshTarget in the handler). */
export const SshServerSchema = z.string().check(z.minLength(1), z.maxLength(300), z.regex(/^[^\s]+$/, 'must be user@host or ssh://user@host:port, without spaces'));

/** The folder is on this server, over SSH (its host key known, sshHostKey): `outDir` and the files are paths there. */
export const OnServerSchema = z.optional(SshServerSchema);

/** Text that files and variables carry intact: no NUL, no lone surrogate (JSON can spell both). */
export const plainText = z.superRefine((value: string, ctx) => {
  const problem = checkPlainText(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem.message, params: { fix: problem.fix } });
});

/** A password or private key typed for this run; never stored by the services unless asked to. */
export const SecretValueSchema = z.string().check(z.minLength(1), z.maxLength(16_384), plainText);

/** The keychain's names for a profile's secrets (accounts `<profile>/<kind>`, docs/keychain.md). */
export const SecretKindSchema = z.enum(SECRET_KIND_NAMES);
export type { SecretKindName };

/** The server a stored secret is bound to (shared/smtp/smtp-endpoint.ts); never the secret. */
export const SmtpEndpointSchema = z.strictObject({
  host: z.string().check(z.minLength(1), z.maxLength(253)),
  port: z.int().check(z.minimum(1), z.maximum(65535)),
  user: z.string().check(z.minLength(1), z.maxLength(320)),
});

/**
 * The admin confirmed that the stored secret may go to the profile's server although it was saved for
 * another one (or before secrets were bound): without it such a run fails with SECRET_ENDPOINT_CHANGED.
 * After a test message was accepted or the files were written, the entry is bound to the new server.
 */
export const SecretForNewServerSchema = z.optional(z.boolean());

/** Secrets given for one export or SMTP test only (the keychain may be unavailable, or the admin prefers it). */
export const RunSecretsSchema = z.strictObject({
  'smtp-password': z.optional(SecretValueSchema),
  'oauth-private-key': z.optional(SecretValueSchema),
});

export const WarningSchema = z.object({ code: z.string(), message: z.string(), field: z.optional(z.string()) });
