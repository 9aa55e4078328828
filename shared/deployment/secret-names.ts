/**
 * Whether a variable's name says it holds a secret: what the review masks, and what export offers to
 * remove from `.env` once nothing reads it (docs/unused-secrets.md). Decided by the name alone, as a person
 * reading the file would; the value is never looked at here.
 */
import { isVariableName, variableInfo } from '../n8n/n8n-variables.js';

/** Words (between `_`, `-`, `.` or a camelCase step) that name a secret: SMTP_PASS, MAIL_PASSWORD, API_KEY. */
const SECRET_WORDS = new Set(['PASS', 'PASSWD', 'PASSWORD', 'PASSPHRASE', 'PW', 'PWD', 'SECRET', 'SECRETS', 'TOKEN', 'TOKENS', 'KEY', 'KEYS', 'APIKEY', 'PRIVATE', 'CREDENTIAL', 'CREDENTIALS', 'CREDS', 'SALT']);

/** A word ending so is a secret word run together with another one: SMTPPASSWORD, CLIENTSECRET, AUTHTOKEN. */
const SECRET_ENDINGS = /(PASSWORD|PASSWD|SECRET|TOKEN|APIKEY)$/;

/** A last word that makes the value something about the secret, not the secret: SMTP_PASS_FILE, API_KEY_ID, TOKEN_URL. */
const NOT_THE_SECRET = new Set(['FILE', 'PATH', 'DIR', 'FOLDER', 'URL', 'URI', 'HOST', 'PORT', 'USER', 'USERNAME', 'NAME', 'ID', 'TYPE', 'MODE', 'ENABLED', 'LENGTH', 'EXPIRY', 'EXPIRES', 'TTL', 'ALGORITHM', 'HEADER']);

/** The shell's working folders, which a `.env` may copy but which are no password. */
const SHELL_NAMES = new Set(['PWD', 'OLDPWD']);

export function holdsSecretByName(name: string): boolean {
  if (isVariableName(name) && variableInfo(name).secret) return true;
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .split(/[_.-]+/)
    .filter(Boolean);
  if (words.length === 0 || SHELL_NAMES.has(words.join('_')) || NOT_THE_SECRET.has(words.at(-1)!)) return false;
  return words.some((word) => SECRET_WORDS.has(word) || SECRET_ENDINGS.test(word));
}
