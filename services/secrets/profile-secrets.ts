/**
 * A profile's secrets in a SecretStore: read what a profile needs — only for the server each was stored
 * for —, report what is stored and where it is bound, and keep the entries in step with the profile's life
 * (rename moves them, delete removes them, "forget all").
 */
import { secretVariableOfKind } from '../../shared/n8n/n8n-variables.js';
import { SetupError } from '../../shared/errors.js';
import type { SecretVariable } from '../../shared/n8n/derive-n8n-settings.js';
import type { ResolvedProfile } from '../../shared/profile/resolve-profile.js';
import { changedEndpointField, smtpEndpointOf, type SmtpEndpoint } from '../../shared/smtp/smtp-endpoint.js';
import { describeSecret, isAppAccount, SECRET_KIND_NAMES, secretAccount, secretKindsFor, type SecretKind } from './secret-accounts.js';
import { secretEndpointChanged } from './secret-endpoint-changed.js';
import { decodeStoredSecret, encodeStoredSecret } from './secret-envelope.js';
import type { SecretStore } from './secret-store.js';
import { checkSecretValue } from './storable-secret.js';

export interface StoredSecretState {
  kind: SecretKind;
  account: string;
  stored: boolean;
  /** The server the entry is bound to; absent when nothing is stored, or for a bare value of an earlier version. */
  boundTo?: SmtpEndpoint;
}

export interface ProfileSecretState extends StoredSecretState {
  /** The profile's auth type uses this secret. */
  needed: boolean;
  /** When stored: whether it is bound to the profile's own server (else a run asks first). */
  matchesProfile?: boolean;
}

export interface ProfileSecrets {
  secrets: Partial<Record<SecretVariable, string>>;
  /** Stored for another server (or for none) and used anyway, as the admin confirmed: bind them once the run succeeded. */
  unbound: Array<{ kind: SecretKind; secret: string }>;
}

/**
 * The stored secrets the profile needs, leaving out those already given (on the command line, say). One
 * bound to another server, or to none, is refused with SECRET_ENDPOINT_CHANGED unless `secretForNewServer`.
 */
export async function readProfileSecrets(
  store: SecretStore,
  profile: ResolvedProfile,
  given: Partial<Record<SecretVariable, string>> = {},
  consent: { secretForNewServer?: boolean } = {},
): Promise<ProfileSecrets> {
  const read: ProfileSecrets = { secrets: {}, unbound: [] };
  const endpoint = smtpEndpointOf(profile);
  if (!endpoint) return read;
  for (const kind of secretKindsFor(profile)) {
    const variable = secretVariableOfKind(kind);
    if (given[variable] !== undefined) continue;
    const account = secretAccount(profile.name, kind);
    const entry = await store.get(account);
    if (entry === undefined) continue;
    const stored = decodeStoredSecret(entry, account);
    if (!stored.endpoint || changedEndpointField(stored.endpoint, endpoint)) {
      if (!consent.secretForNewServer) throw secretEndpointChanged({ profileName: profile.name, kind, stored: stored.endpoint, wanted: endpoint });
      read.unbound.push({ kind, secret: stored.secret });
    }
    read.secrets[variable] = stored.secret;
  }
  return read;
}

/** Each kind: stored or not, and the server it is bound to. Never a secret. */
export async function storedSecretStates(store: SecretStore, profileName: string): Promise<StoredSecretState[]> {
  const states: StoredSecretState[] = [];
  // One after the other: a locked keyring should show one unlock prompt, not two at once.
  for (const kind of SECRET_KIND_NAMES) {
    const account = secretAccount(profileName, kind);
    const entry = await store.get(account);
    const boundTo = entry === undefined ? undefined : decodeStoredSecret(entry, account).endpoint;
    states.push({ kind, account, stored: entry !== undefined, ...(boundTo && { boundTo }) });
  }
  return states;
}

export async function profileSecretStatus(store: SecretStore, profile: ResolvedProfile): Promise<ProfileSecretState[]> {
  const needed = secretKindsFor(profile);
  const endpoint = smtpEndpointOf(profile);
  return (await storedSecretStates(store, profile.name)).map((state) => ({
    ...state,
    needed: needed.includes(state.kind),
    ...(state.stored && { matchesProfile: Boolean(state.boundTo && endpoint && !changedEndpointField(state.boundTo, endpoint)) }),
  }));
}

/** Stores the secret bound to `endpoint`, the server it is for; returns the account. */
export async function storeProfileSecret(store: SecretStore, profileName: string, kind: SecretKind, secret: string, endpoint: SmtpEndpoint): Promise<string> {
  checkSecretValue(kind, secret);
  const account = secretAccount(profileName, kind);
  await store.set(account, encodeStoredSecret(secret, endpoint));
  return account;
}

/** Deleting a profile deletes its entries; returns the kinds that were stored. */
export async function deleteProfileSecrets(store: SecretStore, profileName: string): Promise<SecretKind[]> {
  const deleted: SecretKind[] = [];
  for (const kind of SECRET_KIND_NAMES) if (await store.delete(secretAccount(profileName, kind))) deleted.push(kind);
  return deleted;
}

/**
 * Renaming a profile moves its entries as they are, still bound to their server. Conflicts are found
 * before anything moves; each entry is written under the new name before the old one is deleted, so an
 * interruption leaves a copy, never a loss, and running the rename again finishes it.
 */
export async function renameProfileSecrets(store: SecretStore, from: string, to: string): Promise<SecretKind[]> {
  if (from === to) return [];
  const moves: Array<{ kind: SecretKind; entry: string }> = [];
  for (const kind of SECRET_KIND_NAMES) {
    const entry = await store.get(secretAccount(from, kind));
    if (entry === undefined) continue;
    const there = await store.get(secretAccount(to, kind));
    if (there !== undefined && there !== entry) {
      throw new SetupError({
        code: 'SECRET_CONFLICT',
        message: `Cannot rename profile "${from}" to "${to}": ${describeSecret(to, kind)} is already stored and differs; nothing was moved.`,
        fix: `Delete the other entry first (n8n-setup secret delete with a profile named "${to}"), or choose another name.`,
      });
    }
    moves.push({ kind, entry });
  }
  for (const { kind, entry } of moves) {
    await store.set(secretAccount(to, kind), entry);
    await store.delete(secretAccount(from, kind));
  }
  return moves.map((m) => m.kind);
}

/** "Forget all secrets": every entry of this app, of every profile. Returns the accounts removed. */
export async function forgetAllSecrets(store: SecretStore): Promise<string[]> {
  const accounts = (await store.list()).filter(isAppAccount);
  for (const account of accounts) await store.delete(account);
  return accounts;
}
