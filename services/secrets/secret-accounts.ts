/**
 * Where a profile's secrets live in the OS keychain: one service for the app, one account per profile and
 * kind (`<profile name>/smtp-password`). Profile names cannot contain "/", so every account splits back into
 * its profile and kind, and anything else under the service is not ours to list. See docs/keychain.md.
 */
import { deriveN8nSettings, type SecretVariable } from '../../shared/n8n/derive-n8n-settings.js';
import type { ResolvedProfile } from '../../shared/profile/resolve-profile.js';

export const KEYCHAIN_SERVICE = 'n8n-setup';

export const SECRET_KINDS = {
  'smtp-password': { variable: 'N8N_SMTP_PASS', label: 'SMTP password', option: '--password-stdin', field: 'password' },
  'oauth-private-key': { variable: 'N8N_SMTP_OAUTH_PRIVATE_KEY', label: 'service-account private key', option: '--private-key-file FILE', field: 'privateKey' },
} as const satisfies Record<string, { variable: SecretVariable; label: string; option: string; field: string }>;

export type SecretKind = keyof typeof SECRET_KINDS;

export const SECRET_KIND_NAMES = Object.keys(SECRET_KINDS) as SecretKind[];

export function secretAccount(profileName: string, kind: SecretKind): string {
  return `${profileName}/${kind}`;
}

export function parseSecretAccount(account: string): { profileName: string; kind: SecretKind } | undefined {
  const slash = account.indexOf('/');
  if (slash <= 0) return undefined;
  const kind = account.slice(slash + 1);
  return isSecretKind(kind) ? { profileName: account.slice(0, slash), kind } : undefined;
}

export function kindOfVariable(variable: SecretVariable): SecretKind {
  const kind = SECRET_KIND_NAMES.find((k) => SECRET_KINDS[k].variable === variable);
  if (!kind) throw new Error(`unreachable: ${variable} has no secret kind`);
  return kind;
}

/** The secrets a profile needs, as the n8n mapping decides them (a password, a private key, or none). */
export function secretKindsFor(profile: ResolvedProfile): SecretKind[] {
  return deriveN8nSettings(profile).secrets.map(kindOfVariable);
}

/** "the SMTP password of profile "prod"", for messages. */
export function describeSecret(profileName: string, kind: SecretKind): string {
  return `the ${SECRET_KINDS[kind].label} of profile "${profileName}"`;
}

function isSecretKind(value: string): value is SecretKind {
  return Object.hasOwn(SECRET_KINDS, value);
}
