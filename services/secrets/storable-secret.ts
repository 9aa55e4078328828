/**
 * What a keychain can hold, checked before writing so a refusal is clear instead of a backend's riddle
 * (Windows answers an oversized credential with "The stub received bad data.").
 */
import { SetupError } from '../../shared/errors.js';
import { parseSecretAccount, SECRET_KINDS } from './secret-accounts.js';

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

/** Throws INVALID_VALUE for a secret no keychain on `platform` can store exactly; `platform` undefined: memory. */
export function checkStorableSecret(account: string, secret: string, platform?: NodeJS.Platform): void {
  const parsed = parseSecretAccount(account);
  const what = parsed ? SECRET_KINDS[parsed.kind].label : 'secret';
  const field = parsed?.kind === 'oauth-private-key' ? 'privateKey' : 'password';
  if (secret === '') {
    throw new SetupError({ code: 'INVALID_VALUE', field, message: `The ${what} is empty; there is nothing to store.`, fix: 'Give the secret itself, e.g. printf \'%s\' "$SMTP_PASS" | n8n-setup secret set --profile FILE --password-stdin.' });
  }
  // libsecret takes C strings: everything after a NUL would be silently cut off.
  if (secret.includes('\0')) {
    throw new SetupError({ code: 'INVALID_VALUE', field, message: `The ${what} contains a NUL character, which the keychain would cut off there.`, fix: 'Check the input: a password cannot contain NUL bytes.' });
  }
  const limit = platform === undefined ? undefined : SECRET_SIZE_LIMITS[platform];
  const bytes = Buffer.byteLength(secret, 'utf8');
  if (limit && bytes > limit.bytes) {
    throw new SetupError({
      code: 'INVALID_VALUE',
      field,
      message: `The ${what} is ${bytes} bytes long; ${limit.backend} holds at most ${limit.bytes} bytes per entry (${limit.why}). Nothing was stored.`,
      fix: 'Use it for this run only (--password-stdin or --private-key-file), or write it only into the exported secret file ("deploy": {"secrets": "file"} in the profile).',
    });
  }
}
