import { SetupError } from '../errors.js';
import type { SecretFileVariable } from './secret-files.js';

const FIELD: Record<SecretFileVariable, string> = {
  N8N_SMTP_PASS: 'password',
  N8N_SMTP_OAUTH_PRIVATE_KEY: 'privateKey',
  N8N_ENCRYPTION_KEY: 'encryptionKey',
};

/**
 * n8n trims every string it reads (also `_FILE` contents) and strips one pair of matching surrounding
 * quotes, so such a password cannot reach n8n unchanged: refuse it rather than write a setup that fails.
 * A PEM key loses nothing by trimming, so it is trimmed instead.
 */
export function normalizeSecretValue(variable: SecretFileVariable, value: string): string {
  if (variable === 'N8N_SMTP_OAUTH_PRIVATE_KEY') return value.trim();
  const field = FIELD[variable];
  if (value === '') {
    throw new SetupError({ code: 'INVALID_VALUE', field, message: `The ${field} is empty; n8n then skips SMTP login.`, fix: 'Enter the password, or choose auth type "none".' });
  }
  if (value.trim() !== value) {
    throw new SetupError({
      code: 'INVALID_VALUE',
      field,
      message: `The ${field} starts or ends with white space, which n8n strips before using it, so n8n would log in with a different password.`,
      fix: 'Change the password at your provider so it has no leading or trailing spaces, tabs or line breaks (when reading from stdin, only one trailing newline is removed).',
    });
  }
  if (/^(['"])[\s\S]*\1$/.test(value) && value.length >= 2) {
    throw new SetupError({
      code: 'INVALID_VALUE',
      field,
      message: `The ${field} is wrapped in matching quotes, which n8n strips before using it.`,
      fix: 'If the quotes are not part of the password, leave them out; otherwise change the password at your provider.',
    });
  }
  return value;
}
