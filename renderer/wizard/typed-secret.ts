/**
 * The secret an admin gives for one test or export when it is not in the keychain: a password typed into a
 * field, or a service-account key read from its JSON file. It lives only in the step's state.
 */
import type { RunSecretsSchema } from '../../shared/ipc/common-schemas.js';
import type * as z from 'zod/mini';
import type { WizardDraft } from './wizard-draft.js';

export type TypedSecretKind = 'smtp-password' | 'oauth-private-key';

/** Which secret this run must be given, or undefined when the keychain (or no login) provides it. */
export function typedSecretKind(draft: WizardDraft): TypedSecretKind | undefined {
  if (draft.emailMode !== 'smtp' || draft.secretHandling === 'keychain') return undefined;
  if (draft.authType === 'password') return 'smtp-password';
  if (draft.authType === 'google-service-account') return 'oauth-private-key';
  return undefined;
}

export function typedSecrets(draft: WizardDraft, value: string): z.infer<typeof RunSecretsSchema> {
  const kind = typedSecretKind(draft);
  return kind && value ? { [kind]: value } : {};
}

/** A service account's JSON key file: its `private_key` and `client_id`. */
export async function readServiceAccountKey(file: File): Promise<{ privateKey: string; clientId: string }> {
  const key = JSON.parse(await file.text()) as { private_key?: unknown; client_id?: unknown };
  if (typeof key.private_key !== 'string' || typeof key.client_id !== 'string') throw new Error('no private_key or client_id');
  return { privateKey: key.private_key, clientId: key.client_id };
}
