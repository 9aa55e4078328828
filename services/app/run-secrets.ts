/** The page names secrets by kind (`smtpPassword`, …); the services by the n8n variable that holds them. */
import { secretVariableOfKind } from '../../shared/n8n/n8n-variables.js';
import type { RunSecretsSchema } from '../../shared/ipc/common-schemas.js';
import type { SecretVariable } from '../../shared/n8n/derive-n8n-settings.js';
import type { ResolvedProfile } from '../../shared/profile/resolve-profile.js';
import type * as z from 'zod/mini';
import { SECRET_KIND_NAMES } from '../secrets/secret-accounts.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { SessionSecrets } from '../secrets/session-secrets.js';
import { smtpEndpointOf } from '../../shared/smtp/smtp-endpoint.js';
import { secretsForRun as secretsForRunByVariable, type RunConsent, type RunSecrets } from '../secrets/secrets-for-run.js';

/**
 * A secret given with the request is used, and held for the session bound to the profile's server; one not
 * given is taken from the session when it was typed for this very server, else from the keychain.
 */
export async function secretsForRun(store: SecretStore, profile: ResolvedProfile, given: z.infer<typeof RunSecretsSchema> = {}, consent: RunConsent = {}, session?: SessionSecrets): Promise<RunSecrets> {
  const secrets: Partial<Record<SecretVariable, string>> = {};
  const endpoint = smtpEndpointOf(profile);
  for (const kind of SECRET_KIND_NAMES) {
    const value = given[kind];
    if (value !== undefined) {
      secrets[secretVariableOfKind(kind)] = value;
      if (endpoint && session) session.remember(kind, endpoint, value);
    } else {
      const held = endpoint && session?.get(kind, endpoint);
      if (held) secrets[secretVariableOfKind(kind)] = held;
    }
  }
  return secretsForRunByVariable(store, profile, secrets, consent);
}
