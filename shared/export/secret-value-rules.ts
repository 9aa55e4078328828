import { SetupError } from '../errors.js';
import { checkPlainText, checkReadAsWrittenByN8n } from '../profile/field-rules.js';
import type { SecretFileVariable } from './secret-files.js';

const FIELD: Record<SecretFileVariable, string> = {
  N8N_SMTP_PASS: 'password',
  N8N_SMTP_OAUTH_PRIVATE_KEY: 'privateKey',
  N8N_ENCRYPTION_KEY: 'encryptionKey',
};

/**
 * n8n trims every string it reads (also `_FILE` contents) and strips one pair of matching surrounding
 * quotes unless a line break is inside (shared/n8n/n8n-reading.ts), so such a password cannot reach n8n
 * unchanged: refuse it rather than write a setup that fails. A PEM key loses nothing by trimming, so it is
 * trimmed instead. A NUL or a broken surrogate is refused everywhere: no variable or file carries it intact.
 */
export function normalizeSecretValue(variable: SecretFileVariable, value: string): string {
  const field = FIELD[variable];
  const broken = checkPlainText(value);
  if (broken) throw new SetupError({ code: 'INVALID_VALUE', field, message: `The ${field} ${broken.message}`, fix: broken.fix });
  if (variable === 'N8N_SMTP_OAUTH_PRIVATE_KEY') return value.trim();
  if (value === '') {
    throw new SetupError({ code: 'INVALID_VALUE', field, message: `The ${field} is empty; n8n then skips SMTP login.`, fix: 'Enter the password, or choose auth type "none".' });
  }
  const altered = checkReadAsWrittenByN8n(value, `n8n would use a different ${field === 'password' ? 'password' : 'key'}`);
  if (altered) {
    throw new SetupError({
      code: 'INVALID_VALUE',
      field,
      message: `The ${field} ${altered.message}`,
      fix: 'If the spaces or quotes are not part of it, leave them out; otherwise change the password at your provider (when reading from stdin, only one trailing newline is removed).',
    });
  }
  return value;
}
