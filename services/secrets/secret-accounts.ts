/**
 * Where a profile's secrets live in the OS keychain: one service for the app, one account per profile and
 * kind (`<profile name>/smtp-password`). Profile names cannot contain "/", so every account splits back into
 * its profile and kind, and anything else under the service is not ours to list. See docs/keychain.md.
 */
import { deriveN8nSettings } from '../../shared/n8n/derive-n8n-settings.js';
import { SECRET_KIND_NAMES, secretKindOfVariable, type SecretKindName } from '../../shared/n8n/n8n-variables.js';
import type { ResolvedProfile } from '../../shared/profile/resolve-profile.js';
import { SECRET_KINDS } from '../../shared/profile/secret-kinds.js';

/** The kinds come from the n8n table, their words from the profile (shared/profile/secret-kinds.ts). */
export { SECRET_KIND_NAMES, SECRET_KINDS };

export const KEYCHAIN_SERVICE = 'n8n-setup';

export type SecretKind = SecretKindName;

export function secretAccount(profileName: string, kind: SecretKind): string {
  return `${profileName}/${kind}`;
}

export function parseSecretAccount(account: string): { profileName: string; kind: SecretKind } | undefined {
  const slash = account.indexOf('/');
  if (slash <= 0) return undefined;
  const kind = account.slice(slash + 1);
  return isSecretKind(kind) ? { profileName: account.slice(0, slash), kind } : undefined;
}


/** A key's passphrase the admin chose to keep (the wizard's first step): one entry per key file. `:` is never in a profile name. */
const SSH_KEY_PREFIX = ':ssh-key/';

export function sshKeyAccount(keyFile: string): string {
  return `${SSH_KEY_PREFIX}${keyFile}`;
}

/** The key file of a kept passphrase's account. */
export function sshKeyOfAccount(account: string): string | undefined {
  return account.startsWith(SSH_KEY_PREFIX) && account.length > SSH_KEY_PREFIX.length ? account.slice(SSH_KEY_PREFIX.length) : undefined;
}

/** An account this app made: a profile's secret, or a kept SSH key passphrase. */
export function isAppAccount(account: string): boolean {
  return parseSecretAccount(account) !== undefined || sshKeyOfAccount(account) !== undefined;
}

/** The secrets a profile needs, as the n8n mapping decides them (a password, a private key, or none). */
export function secretKindsFor(profile: ResolvedProfile): SecretKind[] {
  return deriveN8nSettings(profile).secrets.map(secretKindOfVariable);
}

/** "the SMTP password of profile "prod"", for messages. */
export function describeSecret(profileName: string, kind: SecretKind): string {
  return `the ${SECRET_KINDS[kind].label} of profile "${profileName}"`;
}

function isSecretKind(value: string): value is SecretKind {
  return Object.hasOwn(SECRET_KINDS, value);
}
