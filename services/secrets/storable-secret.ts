/**
 * What a keychain can hold, checked before writing so a refusal is clear instead of a backend's riddle
 * (Windows answers an oversized credential with "The stub received bad data.").
 */
import { SetupError } from '../../shared/errors.js';
import { parseSecretAccount, SECRET_KINDS, type SecretKind } from './secret-accounts.js';

interface SizeLimit {
  bytes: number;
  backend: string;
  why: string;
}

/**
 * Limits in UTF-8 bytes, which is what keytar hands every backend. Only Windows documents one:
 * CRED_MAX_CREDENTIAL_BLOB_SIZE is 5 × 512 bytes. The macOS Keychain and the Secret Service API document
 * no limit for a generic password, so none is invented for them.
 */
export const SECRET_SIZE_LIMITS: Partial<Record<NodeJS.Platform, SizeLimit>> = {
  win32: { bytes: 2560, backend: 'Windows Credential Manager', why: 'CRED_MAX_CREDENTIAL_BLOB_SIZE' },
};

/** Throws INVALID_VALUE for a secret not worth storing: empty, or holding a NUL character. */
export function checkSecretValue(kind: SecretKind, secret: string): void {
  const { label, field } = SECRET_KINDS[kind];
  if (secret === '') {
    throw new SetupError({ code: 'INVALID_VALUE', field, message: `The ${label} is empty; there is nothing to store.`, fix: 'Give the secret itself, e.g. printf \'%s\' "$SMTP_PASS" | n8n-setup secret set --profile FILE --password-stdin.' });
  }
  if (secret.includes('\0')) {
    throw new SetupError({ code: 'INVALID_VALUE', field, message: `The ${label} contains a NUL character, which no environment variable can hold: n8n could never use it.`, fix: 'Check the input: a password cannot contain NUL bytes.' });
  }
}

/**
 * Throws INVALID_VALUE for an entry the keychain on `platform` cannot hold exactly. The entry is what is
 * written: the secret with the server it is bound to (secret-envelope.ts), so its encoded size counts.
 */
export function checkEntrySize(account: string, entry: string, platform: NodeJS.Platform): void {
  const limit = SECRET_SIZE_LIMITS[platform];
  const bytes = Buffer.byteLength(entry, 'utf8');
  if (!limit || bytes <= limit.bytes) return;
  const kind = parseSecretAccount(account)?.kind;
  throw new SetupError({
    code: 'INVALID_VALUE',
    ...(kind && { field: SECRET_KINDS[kind].field }),
    message: `The ${kind ? SECRET_KINDS[kind].label : 'secret'}, stored with the server it belongs to (host, port and user), takes ${bytes} bytes; ${limit.backend} holds at most ${limit.bytes} bytes per entry (${limit.why}). Nothing was stored.`,
    fix: 'Use it for this run only (--password-stdin or --private-key-file), or write it only into the exported secret file ("deploy": {"secrets": "file"} in the profile).',
  });
}
