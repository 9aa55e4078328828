/**
 * The secrets one export or SMTP test uses: those the page gave for this run, then what the profile needs
 * from the keychain. An unusable keychain is returned, not thrown: export can still keep the secret already
 * in its target folder, and the caller decides (the CLI's export does the same).
 */
import type { SetupError } from '../../shared/errors.js';
import type { RunSecretsSchema } from '../../shared/ipc/common-schemas.js';
import type { SecretVariable } from '../../shared/n8n/derive-n8n-settings.js';
import type { ResolvedProfile } from '../../shared/profile/resolve-profile.js';
import type * as z from 'zod/mini';
import { isKeychainError } from '../secrets/keychain-errors.js';
import { readProfileSecrets } from '../secrets/profile-secrets.js';
import { SECRET_KIND_NAMES, SECRET_KINDS } from '../secrets/secret-accounts.js';
import type { SecretStore } from '../secrets/secret-store.js';

export interface RunSecrets {
  secrets: Partial<Record<SecretVariable, string>>;
  keychainProblem?: SetupError;
}

export async function secretsForRun(store: SecretStore, profile: ResolvedProfile, given: z.infer<typeof RunSecretsSchema> = {}): Promise<RunSecrets> {
  const secrets: Partial<Record<SecretVariable, string>> = {};
  for (const kind of SECRET_KIND_NAMES) {
    const value = given[kind];
    if (value !== undefined) secrets[SECRET_KINDS[kind].variable] = value;
  }
  try {
    return { secrets: { ...secrets, ...(await readProfileSecrets(store, profile, secrets)) } };
  } catch (error) {
    if (!isKeychainError(error)) throw error;
    return { secrets, keychainProblem: error };
  }
}
