/**
 * The secrets one export or SMTP test uses: those given for this run, then what the profile needs from the
 * keychain. An unusable keychain is returned, not thrown: export can still keep the secret already in its
 * target folder, so the caller decides. A stored secret bound to another server is thrown
 * (SECRET_ENDPOINT_CHANGED) unless the admin confirmed it for this one; then the caller binds it after success.
 */
import type { SetupError, Warning } from '../../shared/errors.js';
import type { SecretVariable } from '../../shared/n8n/derive-n8n-settings.js';
import type { ResolvedProfile } from '../../shared/profile/resolve-profile.js';
import { describeSmtpEndpoint, smtpEndpointOf } from '../../shared/smtp/smtp-endpoint.js';
import { isKeychainError } from './keychain-errors.js';
import { readProfileSecrets, storeProfileSecret, type ProfileSecrets } from './profile-secrets.js';
import type { SecretStore } from './secret-store.js';

export interface RunSecrets {
  secrets: Partial<Record<SecretVariable, string>>;
  /** The keychain was needed and could not be used; `secrets` then holds only what was given. */
  keychainProblem?: SetupError;
  /**
   * Set when a stored secret is used for a server it was not bound to, as confirmed: call it once the run
   * succeeded (a test message accepted, files written) to bind the entry to this profile's server.
   */
  bindToServer?: () => Promise<Warning | undefined>;
}

export interface RunConsent {
  /** `--secret-for-new-server`, or the wizard's "use it for this server": send a stored secret to a server it was not stored for. */
  secretForNewServer?: boolean;
}

export async function secretsForRun(store: SecretStore, profile: ResolvedProfile, given: Partial<Record<SecretVariable, string>>, consent: RunConsent = {}): Promise<RunSecrets> {
  let read: ProfileSecrets;
  try {
    read = await readProfileSecrets(store, profile, given, consent);
  } catch (error) {
    if (!isKeychainError(error)) throw error;
    return { secrets: given, keychainProblem: error };
  }
  return { secrets: { ...given, ...read.secrets }, ...(read.unbound.length > 0 && { bindToServer: () => bindToServer(store, profile, read.unbound) }) };
}

/** The run succeeded, so the keychain answering badly now only means the next run asks again: a warning. */
async function bindToServer(store: SecretStore, profile: ResolvedProfile, unbound: ProfileSecrets['unbound']): Promise<Warning | undefined> {
  const endpoint = smtpEndpointOf(profile);
  if (!endpoint) return undefined;
  try {
    for (const { kind, secret } of unbound) await storeProfileSecret(store, profile.name, kind, secret, endpoint);
    return undefined;
  } catch (error) {
    if (!isKeychainError(error)) throw error;
    return { code: 'WARN_SECRET_NOT_BOUND', message: `The stored secret was used for ${describeSmtpEndpoint(endpoint)}, but could not be bound to it, so the next run asks again: ${error.message}` };
  }
}
