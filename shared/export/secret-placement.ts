/**
 * Where each secret comes from (given now, or kept from the target) and the checks that guard the
 * encryption key of an existing instance.
 */
import { SetupError } from '../errors.js';
import type { EnvEntry } from '../env-file/parse-env-file.js';
import type { ExistingFiles } from './existing-deployment.js';
import { keychainSecret } from '../n8n/n8n-variables.js';
import { secretWords } from '../profile/secret-kinds.js';
import type { SecretFileVariable } from './secret-files.js';

export function secretValue(
  variable: SecretFileVariable,
  given: Partial<Record<SecretFileVariable, string>>,
  envBefore: ReadonlyMap<string, Pick<EnvEntry, 'value' | 'interpolated'>>,
  secretFiles: Partial<Record<SecretFileVariable, string>>,
  /** What the n8n container gets today (from an env_file such as an override's mail.env, say). */
  running: Readonly<Record<string, string>> = {},
): string {
  if (given[variable] !== undefined) return given[variable];
  const inEnv = envBefore.get(variable);
  if (inEnv && !inEnv.interpolated) return inEnv.value;
  const inFile = secretFiles[variable];
  if (inFile !== undefined) return inFile;
  if (!inEnv && running[variable] !== undefined) return running[variable];
  const { label, field, option } = keychainSecret(variable) ? secretWords(variable) : { label: 'encryption key', field: 'deploy.encryptionKey', option: 'deploy.encryptionKey "generate"' };
  throw new SetupError({
    code: 'MISSING_SECRET',
    field,
    message: `No ${label} was given and the target folder has none to keep${inEnv?.interpolated ? ` (its ${variable} refers to another variable, so its value cannot be known here)` : ''}.`,
    fix: `Pass it with ${option}, or store it with \`n8n-setup secret set\`.`,
  });
}

/** "generate" is for new instances: any sign of an existing key refuses it. */
export function refuseIfEncryptionKeyExists(existing: ExistingFiles, environment: Readonly<Record<string, string>>, secretFiles: Partial<Record<SecretFileVariable, string>>): void {
  const composeTexts = [existing.compose?.text ?? '', existing.composeOverride?.text ?? ''];
  const found =
    'N8N_ENCRYPTION_KEY' in environment ||
    'N8N_ENCRYPTION_KEY_FILE' in environment ||
    secretFiles.N8N_ENCRYPTION_KEY !== undefined ||
    composeTexts.some((text) => /\bN8N_ENCRYPTION_KEY/.test(text));
  if (found) {
    throw new SetupError({
      code: 'ENCRYPTION_KEY_EXISTS',
      field: 'deploy.encryptionKey',
      message: 'The target already has an N8N_ENCRYPTION_KEY; a new key would lock n8n out of its saved credentials and log everyone out.',
      fix: 'Set deploy.encryptionKey to "keep" (generate is for new instances only).',
    });
  }
}
