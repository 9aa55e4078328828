/** The page names secrets by kind (`smtpPassword`, …); the services by the n8n variable that holds them. */
import { secretVariableOfKind } from '../../shared/n8n/n8n-variables.js';
import type { RunSecretsSchema } from '../../shared/ipc/common-schemas.js';
import type { SecretVariable } from '../../shared/n8n/derive-n8n-settings.js';
import type { ResolvedProfile } from '../../shared/profile/resolve-profile.js';
import type * as z from 'zod/mini';
import { SECRET_KIND_NAMES } from '../secrets/secret-accounts.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { secretsForRun as secretsForRunByVariable, type RunConsent, type RunSecrets } from '../secrets/secrets-for-run.js';

export async function secretsForRun(store: SecretStore, profile: ResolvedProfile, given: z.infer<typeof RunSecretsSchema> = {}, consent: RunConsent = {}): Promise<RunSecrets> {
  const secrets: Partial<Record<SecretVariable, string>> = {};
  for (const kind of SECRET_KIND_NAMES) {
    const value = given[kind];
    if (value !== undefined) secrets[secretVariableOfKind(kind)] = value;
  }
  return secretsForRunByVariable(store, profile, secrets, consent);
}
