/**
 * The secrets one export or SMTP test uses: those given for this run, then what the profile needs from the
 * keychain. An unusable keychain is returned, not thrown: export can still keep the secret already in its
 * target folder, so the caller decides.
 */
import type { SetupError } from '../../shared/errors.js';
import type { SecretVariable } from '../../shared/n8n/derive-n8n-settings.js';
import type { ResolvedProfile } from '../../shared/profile/resolve-profile.js';
import { isKeychainError } from './keychain-errors.js';
import { readProfileSecrets } from './profile-secrets.js';
import type { SecretStore } from './secret-store.js';

export interface RunSecrets {
  secrets: Partial<Record<SecretVariable, string>>;
  /** The keychain was needed and could not be used; `secrets` then holds only what was given. */
  keychainProblem?: SetupError;
}

export async function secretsForRun(store: SecretStore, profile: ResolvedProfile, given: Partial<Record<SecretVariable, string>>): Promise<RunSecrets> {
  try {
    return { secrets: { ...given, ...(await readProfileSecrets(store, profile, given)) } };
  } catch (error) {
    if (!isKeychainError(error)) throw error;
    return { secrets: given, keychainProblem: error };
  }
}
