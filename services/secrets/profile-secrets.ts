/**
 * A profile's secrets in a SecretStore: read what a profile needs, report what is stored, and keep the
 * entries in step with the profile's life (rename moves them, delete removes them, "forget all").
 */
import { SetupError } from '../../shared/errors.js';
import type { SecretVariable } from '../../shared/n8n/derive-n8n-settings.js';
import type { ResolvedProfile } from '../../shared/profile/resolve-profile.js';
import { describeSecret, parseSecretAccount, SECRET_KIND_NAMES, SECRET_KINDS, secretAccount, secretKindsFor, type SecretKind } from './secret-accounts.js';
import type { SecretStore } from './secret-store.js';

export interface ProfileSecretState {
  kind: SecretKind;
  account: string;
  stored: boolean;
  /** The profile's auth type uses this secret. */
  needed: boolean;
}

/** The stored secrets the profile needs, leaving out those already given (on the command line, say). */
export async function readProfileSecrets(store: SecretStore, profile: ResolvedProfile, given: Partial<Record<SecretVariable, string>> = {}): Promise<Partial<Record<SecretVariable, string>>> {
  const secrets: Partial<Record<SecretVariable, string>> = {};
  for (const kind of secretKindsFor(profile)) {
    const variable = SECRET_KINDS[kind].variable;
    if (given[variable] !== undefined) continue;
    const secret = await store.get(secretAccount(profile.name, kind));
    if (secret !== undefined) secrets[variable] = secret;
  }
  return secrets;
}

export async function profileSecretStatus(store: SecretStore, profile: ResolvedProfile): Promise<ProfileSecretState[]> {
  const needed = secretKindsFor(profile);
  const states: ProfileSecretState[] = [];
  // One after the other: a locked keyring should show one unlock prompt, not two at once.
  for (const kind of SECRET_KIND_NAMES) {
    const account = secretAccount(profile.name, kind);
    states.push({ kind, account, stored: (await store.get(account)) !== undefined, needed: needed.includes(kind) });
  }
  return states;
}

export async function storeProfileSecret(store: SecretStore, profileName: string, kind: SecretKind, secret: string): Promise<string> {
  const account = secretAccount(profileName, kind);
  await store.set(account, secret);
  return account;
}

/** Deleting a profile deletes its entries; returns the kinds that were stored. */
export async function deleteProfileSecrets(store: SecretStore, profileName: string): Promise<SecretKind[]> {
  const deleted: SecretKind[] = [];
  for (const kind of SECRET_KIND_NAMES) if (await store.delete(secretAccount(profileName, kind))) deleted.push(kind);
  return deleted;
}

/**
 * Renaming a profile moves its entries. Conflicts are found before anything moves; each entry is written
 * under the new name before the old one is deleted, so an interruption leaves a copy, never a loss, and
 * running the rename again finishes it.
 */
export async function renameProfileSecrets(store: SecretStore, from: string, to: string): Promise<SecretKind[]> {
  if (from === to) return [];
  const moves: Array<{ kind: SecretKind; secret: string }> = [];
  for (const kind of SECRET_KIND_NAMES) {
    const secret = await store.get(secretAccount(from, kind));
    if (secret === undefined) continue;
    const there = await store.get(secretAccount(to, kind));
    if (there !== undefined && there !== secret) {
      throw new SetupError({
        code: 'SECRET_CONFLICT',
        message: `Cannot rename profile "${from}" to "${to}": ${describeSecret(to, kind)} is already stored and differs; nothing was moved.`,
        fix: `Delete the other entry first (n8n-setup secret delete with a profile named "${to}"), or choose another name.`,
      });
    }
    moves.push({ kind, secret });
  }
  for (const { kind, secret } of moves) {
    await store.set(secretAccount(to, kind), secret);
    await store.delete(secretAccount(from, kind));
  }
  return moves.map((m) => m.kind);
}

/** "Forget all secrets": every entry of this app, of every profile. Returns the accounts removed. */
export async function forgetAllSecrets(store: SecretStore): Promise<string[]> {
  const accounts = (await store.list()).filter((account) => parseSecretAccount(account) !== undefined);
  for (const account of accounts) await store.delete(account);
  return accounts;
}
